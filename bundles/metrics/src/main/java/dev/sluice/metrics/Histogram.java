package dev.sluice.metrics;

import dev.sluice.api.metrics.Buckets;
import dev.sluice.api.metrics.Timer;
import java.util.concurrent.atomic.LongAdder;

/**
 * One histogram series: a LongAdder per bucket (not cumulative, so recording touches one cell) and the sum in
 * nanoseconds. Bounds are kept in nanoseconds so that recording compares longs and allocates nothing.
 */
final class Histogram implements Timer {

    private final double[] boundsSeconds;
    private final long[] boundsNanos;
    /** One per bound, then +Inf. */
    private final LongAdder[] counts;
    private final LongAdder sumNanos = new LongAdder();

    Histogram(Buckets buckets) {
        int n = buckets.upperBounds().size();
        boundsSeconds = new double[n];
        boundsNanos = new long[n];
        counts = new LongAdder[n + 1];
        for (int i = 0; i < n; i++) {
            boundsSeconds[i] = buckets.upperBounds().get(i);
            boundsNanos[i] = Math.round(boundsSeconds[i] * 1e9);
        }
        for (int i = 0; i <= n; i++) {
            counts[i] = new LongAdder();
        }
    }

    @Override
    public void record(long nanos) {
        long value = Math.max(0, nanos);
        int i = 0;
        while (i < boundsNanos.length && value > boundsNanos[i]) {
            i++;
        }
        counts[i].increment();
        sumNanos.add(value);
    }

    /**
     * Writes {@code _bucket} (cumulative, {@code le} last), {@code _sum} and {@code _count}. The count is the
     * +Inf bucket of the same reading, so the two always agree even while observations arrive.
     */
    void write(PrometheusText text, String name, String[] labels) {
        String[] withLe = java.util.Arrays.copyOf(labels, labels.length + 2);
        withLe[labels.length] = "le";
        long cumulative = 0;
        for (int i = 0; i < counts.length; i++) {
            cumulative += counts[i].sum();
            withLe[labels.length + 1] = i < boundsSeconds.length ? PrometheusText.number(boundsSeconds[i]) : "+Inf";
            text.sample(name + "_bucket", cumulative, withLe);
        }
        text.sample(name + "_sum", sumNanos.sum() / 1e9, labels);
        text.sample(name + "_count", cumulative, labels);
    }
}
