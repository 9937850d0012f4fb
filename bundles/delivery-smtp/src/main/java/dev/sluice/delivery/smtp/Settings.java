package dev.sluice.delivery.smtp;

import static dev.sluice.api.config.ConfigCheck.between;

import java.time.Duration;

/** The validated configuration; a bad value fails activation naming the key. The ranges are the MetaType's. */
record Settings(int ioThreads, int workerThreads, Duration connectTimeout, Duration greetingTimeout,
                Duration mailTimeout, Duration rcptTimeout, Duration dataInitiationTimeout,
                Duration dataBlockTimeout, Duration dataTerminationTimeout, Duration commandTimeout,
                Duration idleTimeout, Duration permitWait, int maxLineLength, int maxReplyLines,
                int maxRecipientsPerTransaction, boolean pipelining, boolean authOverPlaintext,
                int dataChunkBytes) {

    static final int MAX_TIMEOUT_SECONDS = 3600;
    /**
     * An idle pooled connection holds a connection slot of its path (the receiver counts it); five minutes is also
     * what RFC 5321 4.5.3.2.7 gives a server before it may drop a client that says nothing.
     */
    static final int MAX_IDLE_SECONDS = 300;

    static Settings from(SmtpDeliveryAgent.Config c) {
        return new Settings(
                between("ioThreads", c.ioThreads(), 1, 64),
                between("workerThreads", c.workerThreads(), 1, 256),
                seconds("connectTimeoutSeconds", c.connectTimeoutSeconds()),
                seconds("greetingTimeoutSeconds", c.greetingTimeoutSeconds()),
                seconds("mailTimeoutSeconds", c.mailTimeoutSeconds()),
                seconds("rcptTimeoutSeconds", c.rcptTimeoutSeconds()),
                seconds("dataInitiationTimeoutSeconds", c.dataInitiationTimeoutSeconds()),
                seconds("dataBlockTimeoutSeconds", c.dataBlockTimeoutSeconds()),
                seconds("dataTerminationTimeoutSeconds", c.dataTerminationTimeoutSeconds()),
                seconds("commandTimeoutSeconds", c.commandTimeoutSeconds()),
                Duration.ofSeconds(between("idleTimeoutSeconds", c.idleTimeoutSeconds(), 1, MAX_IDLE_SECONDS)),
                seconds("permitWaitSeconds", c.permitWaitSeconds()),
                between("maxLineLength", c.maxLineLength(), 512, 65_536),
                between("maxReplyLines", c.maxReplyLines(), 1, 10_000),
                between("maxRecipientsPerTransaction", c.maxRecipientsPerTransaction(), 1, 100_000),
                c.pipelining(),
                c.authOverPlaintext(),
                between("dataChunkBytes", c.dataChunkBytes(), 512, 1 << 20));
    }

    private static Duration seconds(String key, int value) {
        return Duration.ofSeconds(between(key, value, 1, MAX_TIMEOUT_SECONDS));
    }
}
