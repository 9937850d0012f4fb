package dev.sluice.scheduler;

import dev.sluice.api.metrics.Buckets;
import dev.sluice.api.metrics.Metrics;
import dev.sluice.api.metrics.Timer;

/** The scheduler's timers and counters, resolved once per metrics service. */
record SchedulerTimings(Metrics source, Timer deliveryLatency, Timer attempt, TenantDeferrals tenantDeferrals) {

    static final SchedulerTimings NONE = new SchedulerTimings(Metrics.NONE, Timer.NONE, Timer.NONE,
            TenantDeferrals.NONE);

    static SchedulerTimings of(Metrics metrics) {
        return new SchedulerTimings(metrics,
                metrics.timer("sluice_delivery_latency_seconds", "From the start of the SMTP transaction that "
                        + "brought a message in to the delivery of a recipient, retries included; per recipient.",
                        Buckets.QUEUE_TIME),
                metrics.timer("sluice_delivery_attempt_seconds", "One delivery attempt of a batch of recipients, "
                        + "from the hand-over to the delivery agent to its report (connection, TLS and transaction).",
                        Buckets.LATENCY),
                new TenantDeferrals(metrics));
    }
}
