package dev.sluice.delivery.smtp;

import java.time.Duration;

/** The validated configuration; a bad value fails activation naming the key. */
record Settings(int ioThreads, int workerThreads, Duration connectTimeout, Duration greetingTimeout,
                Duration mailTimeout, Duration rcptTimeout, Duration dataInitiationTimeout,
                Duration dataBlockTimeout, Duration dataTerminationTimeout, Duration commandTimeout,
                Duration idleTimeout, Duration permitWait, int maxLineLength, int maxReplyLines,
                int maxRecipientsPerTransaction, boolean pipelining, boolean authOverPlaintext,
                int dataChunkBytes) {

    static Settings from(SmtpDeliveryAgent.Config c) {
        return new Settings(
                positive("ioThreads", c.ioThreads()),
                positive("workerThreads", c.workerThreads()),
                seconds("connectTimeoutSeconds", c.connectTimeoutSeconds()),
                seconds("greetingTimeoutSeconds", c.greetingTimeoutSeconds()),
                seconds("mailTimeoutSeconds", c.mailTimeoutSeconds()),
                seconds("rcptTimeoutSeconds", c.rcptTimeoutSeconds()),
                seconds("dataInitiationTimeoutSeconds", c.dataInitiationTimeoutSeconds()),
                seconds("dataBlockTimeoutSeconds", c.dataBlockTimeoutSeconds()),
                seconds("dataTerminationTimeoutSeconds", c.dataTerminationTimeoutSeconds()),
                seconds("commandTimeoutSeconds", c.commandTimeoutSeconds()),
                seconds("idleTimeoutSeconds", c.idleTimeoutSeconds()),
                seconds("permitWaitSeconds", c.permitWaitSeconds()),
                atLeast("maxLineLength", c.maxLineLength(), 512),
                positive("maxReplyLines", c.maxReplyLines()),
                positive("maxRecipientsPerTransaction", c.maxRecipientsPerTransaction()),
                c.pipelining(),
                c.authOverPlaintext(),
                atLeast("dataChunkBytes", c.dataChunkBytes(), 512));
    }

    private static Duration seconds(String key, int value) {
        return Duration.ofSeconds(positive(key, value));
    }

    private static int positive(String key, int value) {
        return atLeast(key, value, 1);
    }

    private static int atLeast(String key, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(SmtpDeliveryAgent.PID + ": " + key + " must be at least " + min
                    + ", got " + value);
        }
        return value;
    }
}
