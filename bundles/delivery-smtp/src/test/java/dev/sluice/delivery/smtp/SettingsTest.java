package dev.sluice.delivery.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each key's range is its MetaType's; a value outside fails activation with a message naming the key. */
class SettingsTest {

    private static void refused(String message, Object... keyValue) {
        assertEquals(message, assertThrows(IllegalArgumentException.class,
                () -> Settings.from(Fixtures.config(keyValue))).getMessage());
    }

    @Test
    void theBoundsAreAccepted() {
        Settings s = Settings.from(Fixtures.config("connectTimeoutSeconds", 3600, "maxLineLength", 512,
                "dataChunkBytes", 1 << 20, "ioThreads", 64));
        assertEquals(Duration.ofHours(1), s.connectTimeout());
        assertEquals(512, s.maxLineLength());
    }

    @Test
    void timeoutsThreadsAndSizesOutOfRangeAreRefused() {
        refused("connectTimeoutSeconds: must be 1 to 3600, was 0", "connectTimeoutSeconds", 0);
        refused("dataTerminationTimeoutSeconds: must be 1 to 3600, was 7200", "dataTerminationTimeoutSeconds", 7200);
        refused("idleTimeoutSeconds: must be 1 to 300, was -1", "idleTimeoutSeconds", -1);
        // an idle pooled connection holds a connection slot: not longer than a server would wait for it
        refused("idleTimeoutSeconds: must be 1 to 300, was 301", "idleTimeoutSeconds", 301);
        refused("permitWaitSeconds: must be 1 to 3600, was 0", "permitWaitSeconds", 0);
        refused("ioThreads: must be 1 to 64, was 0", "ioThreads", 0);
        refused("workerThreads: must be 1 to 256, was 1000", "workerThreads", 1000);
        refused("maxLineLength: must be 512 to 65536, was 100", "maxLineLength", 100);
        refused("maxReplyLines: must be 1 to 10000, was 0", "maxReplyLines", 0);
        refused("maxRecipientsPerTransaction: must be 1 to 100000, was 0", "maxRecipientsPerTransaction", 0);
        refused("dataChunkBytes: must be 512 to 1048576, was 16", "dataChunkBytes", 16);
    }
}
