package dev.sluice.api.metrics;

import java.util.List;

/**
 * The upper bounds of a histogram's buckets, in seconds, ascending ({@code +Inf} is always added).
 *
 * @param upperBounds at least one, finite, positive, strictly ascending
 */
public record Buckets(List<Double> upperBounds) {

    /** 1 ms to 10 s: SMTP replies, filter calls, DNS queries, delivery attempts. */
    public static final Buckets LATENCY = new Buckets(List.of(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
            0.5, 1.0, 2.5, 5.0, 10.0));

    /** 10 ms to 5 days: how long mail waits in the queue (retries included) before its final outcome. */
    public static final Buckets QUEUE_TIME = new Buckets(List.of(0.01, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0,
            1800.0, 3600.0, 7200.0, 14400.0, 43200.0, 86400.0, 259200.0, 432000.0));

    public Buckets {
        upperBounds = List.copyOf(upperBounds);
        if (upperBounds.isEmpty()) {
            throw new IllegalArgumentException("a histogram needs at least one bucket");
        }
        double previous = 0;
        for (double bound : upperBounds) {
            if (!(bound > previous) || Double.isInfinite(bound)) {
                throw new IllegalArgumentException("bucket bounds must be finite, positive and ascending: " + upperBounds);
            }
            previous = bound;
        }
    }
}
