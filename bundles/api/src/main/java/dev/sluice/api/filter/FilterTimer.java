package dev.sluice.api.filter;

import dev.sluice.api.metrics.Buckets;
import dev.sluice.api.metrics.Metrics;
import dev.sluice.api.metrics.Timer;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * How long the calls of one filter at one stage take and how they end: the histogram
 * {@value #METRIC}{@code {filter, stage, outcome}}, whose {@code _count} per outcome are the outcome counts. A host
 * keeps one per registered filter and stage and hands it to {@link FilterCall#complete(java.util.concurrent.CompletableFuture,
 * Supplier, FilterTimer)}; it follows whichever {@link Metrics} service the host has at the moment, resolving a
 * series once per service and outcome.
 *
 * @since 1.3
 */
public final class FilterTimer {

    public static final String METRIC = "sluice_filter_duration_seconds";
    /** Records nothing. */
    public static final FilterTimer NONE = new FilterTimer("none", "none", () -> Metrics.NONE);

    /** How a call ended, as the {@code outcome} label says it. */
    public enum Outcome {
        CONTINUE, ACCEPT, REJECT, TEMPFAIL, DISCARD, MODIFY_HEADERS, TIMEOUT, ERROR;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The outcome of a verdict, or of a failure (a {@link TimeoutException}, possibly wrapped, is TIMEOUT). */
        public static Outcome of(Verdict verdict, Throwable failure) {
            if (failure != null) {
                Throwable cause = failure;
                while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                        && cause.getCause() != null) {
                    cause = cause.getCause();
                }
                return cause instanceof TimeoutException ? TIMEOUT : ERROR;
            }
            if (verdict instanceof Verdict.Continue) {
                return CONTINUE;
            } else if (verdict instanceof Verdict.Accept) {
                return ACCEPT;
            } else if (verdict instanceof Verdict.Reject) {
                return REJECT;
            } else if (verdict instanceof Verdict.TempFail) {
                return TEMPFAIL;
            } else if (verdict instanceof Verdict.Discard) {
                return DISCARD;
            }
            return verdict instanceof Verdict.ModifyHeaders ? MODIFY_HEADERS : ERROR;
        }
    }

    private static final Outcome[] OUTCOMES = Outcome.values();

    /** The series of one metrics service, resolved as outcomes occur. */
    private record Resolved(Metrics source, Timer[] byOutcome) {
    }

    private final String filter;
    private final String stage;
    private final Supplier<Metrics> metrics;
    private volatile Resolved resolved;

    /**
     * @param stage the hook, e.g. {@code rcpt} or {@code predelivery}
     * @param metrics the host's current metrics service ({@link Metrics#NONE} when it has none)
     */
    public FilterTimer(String filter, String stage, Supplier<Metrics> metrics) {
        this.filter = Objects.requireNonNull(filter, "filter");
        this.stage = stage.toLowerCase(Locale.ROOT);
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** Records one call; never throws (a metrics service that does is ignored: the filter's verdict matters more). */
    public void record(Verdict verdict, Throwable failure, long nanos) {
        try {
            Metrics current = metrics.get();
            Resolved r = resolved;
            if (r == null || r.source() != current) {
                r = new Resolved(current, new Timer[OUTCOMES.length]);
                resolved = r;
            }
            Outcome outcome = Outcome.of(verdict, failure);
            Timer timer = r.byOutcome()[outcome.ordinal()];
            if (timer == null) {
                // Two threads may both resolve it: the service gives both the same series.
                timer = current.timer(METRIC, "Time filters took to answer, by filter, stage and outcome.",
                        Buckets.LATENCY, "filter", filter, "stage", stage, "outcome", outcome.label());
                r.byOutcome()[outcome.ordinal()] = timer;
            }
            timer.record(nanos);
        } catch (RuntimeException e) {
            // nothing to do: metrics are best effort
        }
    }
}
