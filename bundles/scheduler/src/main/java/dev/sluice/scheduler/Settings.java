package dev.sluice.scheduler;

import java.time.Duration;

/** The validated configuration. */
record Settings(RetryPolicy retry, Duration routeCache, Duration storageRetry, int workerThreads) {

    /** @throws IllegalArgumentException naming the key and what is wrong with it */
    static Settings from(SchedulerComponent.Config c) {
        positive("retryInitialSeconds", c.retryInitialSeconds());
        positive("retryMaxSeconds", c.retryMaxSeconds());
        if (!(c.maxLifetimeHours() >= 0.001) || c.maxLifetimeHours() > 8760) {
            throw new IllegalArgumentException("maxLifetimeHours must be between 0.001 and 8760, got "
                    + c.maxLifetimeHours());
        }
        positive("storageRetrySeconds", c.storageRetrySeconds());
        positive("workerThreads", c.workerThreads());
        if (!(c.retryMultiplier() >= 1.0) || c.retryMultiplier() > 100) {
            throw new IllegalArgumentException("retryMultiplier must be between 1 and 100, got " + c.retryMultiplier());
        }
        if (c.retryMaxSeconds() < c.retryInitialSeconds()) {
            throw new IllegalArgumentException("retryMaxSeconds (" + c.retryMaxSeconds()
                    + ") must not be below retryInitialSeconds (" + c.retryInitialSeconds() + ")");
        }
        if (c.delayWarningHours() < 0 || c.delayWarningHours() >= c.maxLifetimeHours() && c.delayWarningHours() > 0) {
            throw new IllegalArgumentException("delayWarningHours must be 0 (off) or below maxLifetimeHours, got "
                    + c.delayWarningHours());
        }
        if (c.routeCacheSeconds() < 0) {
            throw new IllegalArgumentException("routeCacheSeconds must not be negative, got " + c.routeCacheSeconds());
        }
        RetryPolicy retry = new RetryPolicy(Duration.ofSeconds(c.retryInitialSeconds()), c.retryMultiplier(),
                Duration.ofSeconds(c.retryMaxSeconds()), Duration.ofMillis(Math.round(c.maxLifetimeHours() * 3_600_000d)),
                Duration.ofHours(c.delayWarningHours()));
        return new Settings(retry, Duration.ofSeconds(c.routeCacheSeconds()),
                Duration.ofSeconds(c.storageRetrySeconds()), c.workerThreads());
    }

    private static void positive(String key, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
    }
}
