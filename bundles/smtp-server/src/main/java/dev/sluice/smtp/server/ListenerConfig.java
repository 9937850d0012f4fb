package dev.sluice.smtp.server;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** One SMTP listener (factory PID {@code dev.sluice.smtp.listener}). */
@ObjectClassDefinition(name = "Sluice SMTP listener", description = "An ESMTP listener: address, TLS, AUTH, limits.")
public @interface ListenerConfig {

    @AttributeDefinition(name = "Name", description = "Listener name for logs and Received headers")
    String name() default "default";

    @AttributeDefinition(name = "Address", description = "IP address to bind (0.0.0.0 or :: for all)")
    String address() default "127.0.0.1";

    @AttributeDefinition(name = "Port", description = "TCP port (25, 465, 587, ...); 0 takes any free port. "
            + "Range: 0 to 65535.", min = "0", max = "65535")
    int port() default 2525;

    @AttributeDefinition(name = "Host name", description = "Name in the greeting and Received header; empty = local host name")
    String hostname() default "";

    @AttributeDefinition(name = "TLS mode", description = "none; starttls (offered when key material is configured); implicit (TLS from the first byte, port 465)",
            options = {@Option(label = "none", value = "none"), @Option(label = "STARTTLS", value = "starttls"),
                    @Option(label = "implicit", value = "implicit")})
    String tlsMode() default "starttls";

    @AttributeDefinition(name = "Keystore path", description = "PKCS12/JKS keystore with the server key; relative to sluice.home")
    String tlsKeystorePath() default "";

    @AttributeDefinition(name = "Keystore password", type = AttributeType.PASSWORD, description = "Password of the keystore and key")
    String tlsKeystorePassword() default "";

    @AttributeDefinition(name = "Keystore type", description = "Format of the keystore file: PKCS12 or JKS",
            options = {@Option(label = "PKCS12", value = "PKCS12"), @Option(label = "JKS", value = "JKS")})
    String tlsKeystoreType() default "PKCS12";

    @AttributeDefinition(name = "PEM certificate path", description = "PEM certificate chain (alternative to the keystore)")
    String tlsCertificatePath() default "";

    @AttributeDefinition(name = "PEM private key path", description = "Unencrypted PKCS#8 PEM private key for the certificate")
    String tlsPrivateKeyPath() default "";

    @AttributeDefinition(name = "TLS protocols", description = "Enabled TLS protocol versions")
    String[] tlsProtocols() default {"TLSv1.3", "TLSv1.2"};

    @AttributeDefinition(name = "Require AUTH", description = "Submission mode: MAIL needs an authenticated session")
    boolean requireAuth() default false;

    @AttributeDefinition(name = "Allow AUTH without TLS", description = "Offer AUTH on clear-text sessions (unsafe)")
    boolean allowPlaintextAuth() default false;

    @AttributeDefinition(name = "AUTH users", description = "user:pbkdf2-sha256$... entries (make a hash with dev.sluice.smtp.server.auth.PasswordHash)")
    String[] authUsers() default {};

    @AttributeDefinition(name = "Trusted networks", description = "CIDRs that may relay without AUTH; an empty list trusts nobody")
    String[] trustedNetworks() default {"127.0.0.0/8", "::1/128"};

    @AttributeDefinition(name = "Maximum message size (bytes)", description = "SIZE limit, checked at MAIL and during "
            + "DATA/BDAT. Range: 1 to 10737418240 (10 GiB).", min = "1", max = "10737418240")
    long maxMessageSizeBytes() default 52_428_800L;

    @AttributeDefinition(name = "Maximum recipients", description = "Recipients per message (452 4.5.3 beyond). "
            + "Range: 1 to 100000.", min = "1", max = "100000")
    int maxRecipients() default 1000;

    @AttributeDefinition(name = "Maximum sessions", description = "Concurrent sessions on this listener (421 4.7.0 "
            + "beyond). Range: 1 to 100000.", min = "1", max = "100000")
    int maxSessions() default 1000;

    @AttributeDefinition(name = "Maximum sessions per client", description = "Concurrent sessions per client IP "
            + "(421 4.7.0 beyond). Range: 1 to 100000.", min = "1", max = "100000")
    int maxSessionsPerClient() default 100;

    @AttributeDefinition(name = "Maximum commands per session", description = "Commands before the session is closed "
            + "with 421. Range: 1 to 100000000.", min = "1", max = "100000000")
    int maxCommandsPerSession() default 100_000;

    @AttributeDefinition(name = "Maximum bad commands", description = "Unknown or invalid commands before 421 and "
            + "disconnect. Range: 1 to 1000.", min = "1", max = "1000")
    int maxBadCommands() default 10;

    @AttributeDefinition(name = "Command timeout (seconds)", description = "Idle time waiting for a command "
            + "(RFC 5321 4.5.3.2.7: 300). Range: 1 to 3600.", min = "1", max = "3600")
    int commandTimeoutSeconds() default 300;

    @AttributeDefinition(name = "Data timeout (seconds)", description = "Idle time inside DATA/BDAT "
            + "(RFC 5321 4.5.3.2.5: 180). Range: 1 to 3600.", min = "1", max = "3600")
    int dataTimeoutSeconds() default 180;

    @AttributeDefinition(name = "Commit timeout (seconds)", description = "Longest wait for the queue to make a "
            + "message durable (RFC 5321 4.5.3.2.6: 600). Range: 1 to 3600.", min = "1", max = "3600")
    int commitTimeoutSeconds() default 600;

    @AttributeDefinition(name = "Worker threads", description = "Threads running sessions, filters and queue writes "
            + "(never MINA I/O threads). Range: 1 to 1024.", min = "1", max = "1024")
    int workerThreads() default 64;

    @AttributeDefinition(name = "I/O threads", description = "MINA I/O threads (processors) sessions are spread over; "
            + "0 = one per CPU core. Each runs the commands of its sessions that cannot block. Range: 0 to 1024.",
            min = "0", max = "1024")
    int ioThreads() default 0;

    @AttributeDefinition(name = "Protocol trace", description = "Log every command and reply at INFO (AUTH data masked)")
    boolean protocolTrace() default false;
}
