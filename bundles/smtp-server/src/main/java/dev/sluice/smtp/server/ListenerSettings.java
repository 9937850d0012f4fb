package dev.sluice.smtp.server;

import static dev.sluice.api.config.ConfigCheck.between;
import static dev.sluice.api.config.ConfigCheck.oneOf;

import dev.sluice.api.mail.LocalHostName;
import dev.sluice.smtp.server.auth.UserDirectory;
import dev.sluice.smtp.server.net.Cidr;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;

/** A listener's validated configuration; every problem is reported naming its key. */
record ListenerSettings(String name, InetSocketAddress bind, String hostname, String tlsMode, SSLContext tls,
                        List<String> tlsProtocols, boolean requireAuth, boolean allowPlaintextAuth,
                        UserDirectory users, List<Cidr> trustedNetworks, long maxMessageSize, int maxRecipients,
                        int maxSessions, int maxSessionsPerClient, int maxCommands, int maxBadCommands,
                        int commandTimeoutSeconds, int dataTimeoutSeconds, int commitTimeoutSeconds,
                        int workerThreads, int ioThreads, boolean protocolTrace) {

    static ListenerSettings from(ListenerConfig c, String home) {
        String mode = oneOf("tlsMode", c.tlsMode(), "none", "starttls", "implicit");
        if (!c.tlsKeystorePath().isBlank()) {
            oneOf("tlsKeystoreType", c.tlsKeystoreType(), "PKCS12", "JKS");
        }
        SSLContext tls = mode.equals("none") ? null : TlsContexts.create(c, home);
        if (tls == null && mode.equals("implicit")) {
            throw new IllegalArgumentException("tlsMode: implicit needs tlsKeystorePath or tlsCertificatePath/tlsPrivateKeyPath");
        }
        if (tls != null) {
            try {
                tls.createSSLEngine().setEnabledProtocols(c.tlsProtocols());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tlsProtocols: " + e.getMessage(), e);
            }
        }
        if (c.name().isBlank()) {
            throw new IllegalArgumentException("name: must not be empty");
        }
        return new ListenerSettings(c.name().strip(), bind(c), hostname(c.hostname()), mode, tls,
                List.of(c.tlsProtocols()), c.requireAuth(), c.allowPlaintextAuth(),
                UserDirectory.parse("authUsers", List.of(c.authUsers())), networks(c.trustedNetworks()),
                between("maxMessageSizeBytes", c.maxMessageSizeBytes(), 1, 10L << 30),
                between("maxRecipients", c.maxRecipients(), 1, 100_000),
                between("maxSessions", c.maxSessions(), 1, 100_000),
                between("maxSessionsPerClient", c.maxSessionsPerClient(), 1, 100_000),
                between("maxCommandsPerSession", c.maxCommandsPerSession(), 1, 100_000_000),
                between("maxBadCommands", c.maxBadCommands(), 1, 1000),
                between("commandTimeoutSeconds", c.commandTimeoutSeconds(), 1, 3600),
                between("dataTimeoutSeconds", c.dataTimeoutSeconds(), 1, 3600),
                between("commitTimeoutSeconds", c.commitTimeoutSeconds(), 1, 3600),
                between("workerThreads", c.workerThreads(), 1, 1024), ioThreads(c.ioThreads()), c.protocolTrace());
    }

    /**
     * One per core: MINA's default of one more keeps a processor with no session more often, and a processor
     * with none ends its thread and is restarted on another for the next connection (a hand-off per connection
     * when every message comes on a new one).
     */
    private static int ioThreads(int configured) {
        int n = between("ioThreads", configured, 0, 1024);
        return n > 0 ? n : Runtime.getRuntime().availableProcessors();
    }

    boolean offersStartTls() {
        return tls != null && tlsMode.equals("starttls");
    }

    boolean isTrusted(InetAddress client) {
        return Cidr.anyContains(trustedNetworks, client);
    }

    private static InetSocketAddress bind(ListenerConfig c) {
        int port = between("port", c.port(), 0, 65535);
        try {
            return new InetSocketAddress(InetAddress.getByName(c.address().strip()), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address: '" + c.address() + "' is not a resolvable address", e);
        }
    }

    private static String hostname(String configured) {
        if (!configured.isBlank()) {
            if (!LocalHostName.isDomainOrLiteral(configured.strip())) {
                throw new IllegalArgumentException("hostname: '" + configured + "' is not a host name");
            }
            return configured.strip();
        }
        return LocalHostName.detect();
    }

    private static List<Cidr> networks(String[] entries) {
        try {
            return Arrays.stream(entries).filter(s -> !s.isBlank()).map(Cidr::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("trustedNetworks: " + e.getMessage(), e);
        }
    }
}
