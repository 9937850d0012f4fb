package dev.sluice.smtp.server;

import dev.sluice.api.mail.LocalHostName;
import dev.sluice.smtp.server.auth.UserDirectory;
import dev.sluice.smtp.server.net.Cidr;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;

/** A listener's validated configuration; every problem is reported naming its key. */
record ListenerSettings(String name, InetSocketAddress bind, String hostname, String tlsMode, SSLContext tls,
                        List<String> tlsProtocols, boolean requireAuth, boolean allowPlaintextAuth,
                        UserDirectory users, List<Cidr> trustedNetworks, long maxMessageSize, int maxRecipients,
                        int maxSessions, int maxSessionsPerClient, int maxCommands, int maxBadCommands,
                        int commandTimeoutSeconds, int dataTimeoutSeconds, int commitTimeoutSeconds,
                        int workerThreads, boolean protocolTrace) {

    static ListenerSettings from(ListenerConfig c, String home) {
        String mode = c.tlsMode().strip().toLowerCase(Locale.ROOT);
        if (!List.of("none", "starttls", "implicit").contains(mode)) {
            throw new IllegalArgumentException("tlsMode: '" + c.tlsMode() + "' is not none, starttls or implicit");
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
                positive("maxMessageSizeBytes", c.maxMessageSizeBytes()),
                (int) positive("maxRecipients", c.maxRecipients()), (int) positive("maxSessions", c.maxSessions()),
                (int) positive("maxSessionsPerClient", c.maxSessionsPerClient()),
                (int) positive("maxCommandsPerSession", c.maxCommandsPerSession()),
                (int) positive("maxBadCommands", c.maxBadCommands()),
                (int) positive("commandTimeoutSeconds", c.commandTimeoutSeconds()),
                (int) positive("dataTimeoutSeconds", c.dataTimeoutSeconds()),
                (int) positive("commitTimeoutSeconds", c.commitTimeoutSeconds()),
                (int) positive("workerThreads", c.workerThreads()), c.protocolTrace());
    }

    boolean offersStartTls() {
        return tls != null && tlsMode.equals("starttls");
    }

    boolean isTrusted(InetAddress client) {
        return Cidr.anyContains(trustedNetworks, client);
    }

    private static InetSocketAddress bind(ListenerConfig c) {
        if (c.port() < 0 || c.port() > 65535) {
            throw new IllegalArgumentException("port: " + c.port() + " is outside 0..65535");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(c.address().strip()), c.port());
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

    private static long positive(String key, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + ": must be positive, got " + value);
        }
        return value;
    }
}
