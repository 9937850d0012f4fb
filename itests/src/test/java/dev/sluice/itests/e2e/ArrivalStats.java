package dev.sluice.itests.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Rates measured at the receiver from the times transactions were accepted. A token bucket lets one burst through
 * at once and then paces; the paced rate is what a limit like "20/s" promises, so it is measured after the burst.
 */
public final class ArrivalStats {

    private final long[] nanos;

    public ArrivalStats(List<TestSmtpServer.Arrival> arrivals) {
        this.nanos = arrivals.stream().mapToLong(TestSmtpServer.Arrival::nanos).sorted().toArray();
    }

    public int count() {
        return nanos.length;
    }

    /** System.nanoTime of the first arrival. */
    public long first() {
        return nanos[0];
    }

    public long last() {
        return nanos[nanos.length - 1];
    }

    /**
     * The paced rate of a token bucket that starts full with {@code burst} tokens: it grants at most burst + rate x t
     * in any time t, so with a supply that never runs dry (count - burst) / (last - first) is the rate itself, and
     * above it only if the bucket let too much through. Stalls and catch-ups inside the run do not bias it.
     */
    public double pacedRate(int burst) {
        if (nanos.length <= burst + 1) {
            throw new IllegalArgumentException("too few arrivals for a burst of " + burst + ": " + nanos.length);
        }
        return (nanos.length - burst) * 1e9 / (nanos[nanos.length - 1] - nanos[0]);
    }

    /** Messages per second from arrival {@code from} to the last: (intervals) / (time they took). */
    public double rateAfter(int from) {
        if (nanos.length - from < 2) {
            throw new IllegalArgumentException("too few arrivals after " + from + ": " + nanos.length);
        }
        return (nanos.length - 1 - from) * 1e9 / (nanos[nanos.length - 1] - nanos[from]);
    }

    /** Messages per second over the arrivals within [start, end] (System.nanoTime), first to last inside. */
    public double rateBetween(long start, long end) {
        int first = -1;
        int last = -1;
        for (int i = 0; i < nanos.length; i++) {
            if (nanos[i] >= start && nanos[i] <= end) {
                first = first < 0 ? i : first;
                last = i;
            }
        }
        if (first < 0 || last - first < 2) {
            throw new IllegalArgumentException("too few arrivals in the window");
        }
        return (last - first) * 1e9 / (nanos[last] - nanos[first]);
    }

    /** Arrivals within [start, end] (System.nanoTime). */
    public int countBetween(long start, long end) {
        return (int) java.util.Arrays.stream(nanos).filter(t -> t >= start && t <= end).count();
    }

    /** The most arrivals within any window of this length. */
    public int maxIn(Duration window) {
        int best = 0;
        int j = 0;
        for (int i = 0; i < nanos.length; i++) {
            while (nanos[i] - nanos[j] >= window.toNanos()) {
                j++;
            }
            best = Math.max(best, i - j + 1);
        }
        return best;
    }

    public Duration span() {
        return nanos.length < 2 ? Duration.ZERO : Duration.ofNanos(nanos[nanos.length - 1] - nanos[0]);
    }

    /** Fails unless {@code observed} is within 10 % of {@code configured}. */
    public static void assertWithinTenPercent(String what, double configured, double observed) {
        if (Math.abs(observed - configured) > configured * 0.10) {
            throw new AssertionError(String.format(Locale.ROOT, "%s: %.2f/s observed, %.2f/s configured (more than 10%% off)",
                    what, observed, configured));
        }
    }

    static String format(double rate) {
        return String.format(Locale.ROOT, "%.2f", rate);
    }
}
