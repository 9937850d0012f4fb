package dev.sluice.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Every number of a listener's configuration has the range its MetaType gives; a value outside names the key. */
class ListenerConfigTest {

    private static void refused(String message, String key, Object value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ListenerSettings.from(TestConfig.loopback().with(key, value).build(), null));
        assertEquals(message, e.getMessage());
    }

    @Test
    void theDefaultsAndTheBoundsAreAccepted() {
        ListenerSettings s = ListenerSettings.from(TestConfig.loopback().with("port", 65535)
                .with("commandTimeoutSeconds", 3600).with("maxMessageSizeBytes", 10L << 30).build(), null);
        assertEquals(65535, s.bind().getPort());
        assertEquals(10L << 30, s.maxMessageSize());
        assertEquals(64, s.workerThreads());
    }

    @Test
    void portsTimeoutsSizesAndCountsOutOfRangeAreRefused() {
        refused("port: must be 0 to 65535, was 65536", "port", 65536);
        refused("port: must be 0 to 65535, was -25", "port", -25);
        refused("commandTimeoutSeconds: must be 1 to 3600, was 0", "commandTimeoutSeconds", 0);
        refused("dataTimeoutSeconds: must be 1 to 3600, was 86400", "dataTimeoutSeconds", 86_400);
        refused("commitTimeoutSeconds: must be 1 to 3600, was -1", "commitTimeoutSeconds", -1);
        refused("maxMessageSizeBytes: must be 1 to 10737418240, was 0", "maxMessageSizeBytes", 0L);
        refused("maxRecipients: must be 1 to 100000, was 0", "maxRecipients", 0);
        refused("maxSessions: must be 1 to 100000, was 1000000", "maxSessions", 1_000_000);
        refused("maxSessionsPerClient: must be 1 to 100000, was 0", "maxSessionsPerClient", 0);
        refused("maxCommandsPerSession: must be 1 to 100000000, was 0", "maxCommandsPerSession", 0);
        refused("maxBadCommands: must be 1 to 1000, was 5000", "maxBadCommands", 5000);
        refused("workerThreads: must be 1 to 1024, was 0", "workerThreads", 0);
    }

    @Test
    void enumerationsTakeOnlyTheirOptions() {
        refused("tlsMode: 'sometimes' is not one of none, starttls, implicit", "tlsMode", "sometimes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ListenerSettings.from(
                TestConfig.loopback().with("tlsKeystorePath", "conf/tls/server.p12").with("tlsKeystoreType", "PEM")
                        .build(), null));
        assertEquals("tlsKeystoreType: 'PEM' is not one of PKCS12, JKS", e.getMessage());
        assertEquals("starttls", ListenerSettings.from(TestConfig.loopback().with("tlsMode", "STARTTLS").build(), null)
                .tlsMode());
    }
}
