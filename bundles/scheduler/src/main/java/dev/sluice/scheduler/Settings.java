package dev.sluice.scheduler;

import static dev.sluice.api.config.ConfigCheck.between;

import java.time.Duration;

/** The validated configuration. */
record Settings(RetryPolicy retry, Duration routeCache, Duration storageRetry, int workerThreads) {

    static final long WEEK_SECONDS = 7 * 24 * 3600;
    static final int DAY_SECONDS = 24 * 3600;
    static final int YEAR_HOURS = 8760;

    /** @throws IllegalArgumentException naming the key and what is wrong with it; the ranges are the MetaType's */
    static Settings from(SchedulerComponent.Config c) {
        between("retryInitialSeconds", c.retryInitialSeconds(), 1, WEEK_SECONDS);
        between("retryMultiplier", c.retryMultiplier(), 1, 100);
        between("retryMaxSeconds", c.retryMaxSeconds(), 1, WEEK_SECONDS);
        between("maxLifetimeHours", c.maxLifetimeHours(), 0.001, YEAR_HOURS);
        between("delayWarningHours", c.delayWarningHours(), 0, YEAR_HOURS);
        between("routeCacheSeconds", c.routeCacheSeconds(), 0, DAY_SECONDS);
        between("storageRetrySeconds", c.storageRetrySeconds(), 1, DAY_SECONDS);
        between("workerThreads", c.workerThreads(), 1, 256);
        if (c.retryMaxSeconds() < c.retryInitialSeconds()) {
            throw new IllegalArgumentException("retryMaxSeconds: must not be below retryInitialSeconds ("
                    + c.retryInitialSeconds() + "), was " + c.retryMaxSeconds());
        }
        if (c.delayWarningHours() > 0 && c.delayWarningHours() >= c.maxLifetimeHours()) {
            throw new IllegalArgumentException("delayWarningHours: must be 0 (off) or below maxLifetimeHours ("
                    + c.maxLifetimeHours() + "), was " + c.delayWarningHours());
        }
        RetryPolicy retry = new RetryPolicy(Duration.ofSeconds(c.retryInitialSeconds()), c.retryMultiplier(),
                Duration.ofSeconds(c.retryMaxSeconds()), Duration.ofMillis(Math.round(c.maxLifetimeHours() * 3_600_000d)),
                Duration.ofHours(c.delayWarningHours()));
        return new Settings(retry, Duration.ofSeconds(c.routeCacheSeconds()),
                Duration.ofSeconds(c.storageRetrySeconds()), c.workerThreads());
    }
}
