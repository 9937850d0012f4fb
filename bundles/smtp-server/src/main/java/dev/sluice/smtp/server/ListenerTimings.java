package dev.sluice.smtp.server;

import dev.sluice.api.metrics.Buckets;
import dev.sluice.api.metrics.Metrics;
import dev.sluice.api.metrics.Timer;

/** A listener's timers, resolved once per metrics service so that a message costs two adds. */
record ListenerTimings(Metrics source, Timer accept, Timer transaction) {

    static final ListenerTimings NONE = new ListenerTimings(Metrics.NONE, Timer.NONE, Timer.NONE);

    static ListenerTimings of(Metrics metrics, String listener) {
        return new ListenerTimings(metrics,
                metrics.timer("sluice_accept_latency_seconds", "From the end of the message data (final dot or "
                        + "last BDAT chunk) to the 250 reply: filters, fsync and commit.", Buckets.LATENCY,
                        "listener", listener),
                metrics.timer("sluice_smtp_transaction_seconds", "From MAIL FROM to the 250 reply after the data,"
                        + " for accepted messages.", Buckets.LATENCY, "listener", listener));
    }
}
