package dev.sluice.smtp.server;

import dev.sluice.api.filter.HeaderChange;
import dev.sluice.api.filter.FilterCall;
import dev.sluice.api.filter.Verdict;
import dev.sluice.api.mail.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one phase's filters in ranking order without holding a session thread: each filter is called on a
 * filter thread (so one that blocks or hangs inside its method cannot stall the session), or in place if it
 * declares itself non-blocking, its stage is given the filter's timeout, and the phase ends with an
 * {@link Outcome} that never fails. A filter that throws, fails,
 * times out or is unregistered while called fails open (skipped) or closed (451 4.3.0) per its settings.
 */
final class FilterRunner implements AutoCloseable {

    /** The phase result: the deciding verdict (CONTINUE if none decided) and accumulated header changes. */
    record Outcome(Verdict verdict, List<HeaderChange> changes) {
        Reply refusal() {
            if (verdict instanceof Verdict.Reject r) {
                return r.reply();
            }
            return verdict instanceof Verdict.TempFail t ? t.reply() : null;
        }

        boolean discard() {
            return verdict instanceof Verdict.Discard;
        }
    }

    static final Reply FILTER_FAILED = Reply.of(451, "4.3.0", "Temporary filter failure, try again later");
    static final Outcome NONE = new Outcome(Verdict.CONTINUE, List.of());
    static final Outcome FAILED = new Outcome(new Verdict.TempFail(FILTER_FAILED), List.of());
    private static final int CORE_THREADS = 4;
    private static final int MAX_QUEUED_CALLS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(FilterRunner.class);

    private final ThreadPoolExecutor callers;
    private final ScheduledThreadPoolExecutor timer;

    FilterRunner(String listener, int threads) {
        // A few threads take the calls (most filters answer at once or return a pending stage); more are made
        // only when calls queue up (filters blocking inside their methods), up to the limit; past that a call
        // fails at once. Idle threads end after 30 s.
        callers = new ThreadPoolExecutor(Math.min(CORE_THREADS, threads), threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(MAX_QUEUED_CALLS), SmtpServer.threads("sluice-smtp-" + listener + "-filter-"));
        callers.allowCoreThreadTimeOut(true);
        timer = new ScheduledThreadPoolExecutor(1, SmtpServer.threads("sluice-smtp-" + listener + "-filter-timer-"));
        timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * Runs the phase; the stage completes on a filter or timer thread, or at once when there is no filter or only
     * non-blocking ones that answered at once.
     */
    <T> CompletionStage<Outcome> run(RankedServices<T> filters, Function<T, CompletionStage<Verdict>> call) {
        List<RankedServices.Entry<T>> entries = filters.snapshot();
        if (entries.isEmpty()) {
            return CompletableFuture.completedFuture(NONE);
        }
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        new Phase<>(filters, entries, filters.phase(), call, outcome).next(0);
        return outcome;
    }

    /** Interrupts filters still running: their sessions are gone. */
    @Override
    public void close() {
        timer.shutdownNow();
        callers.shutdownNow();
        try {
            callers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Phase<T> {
        private final RankedServices<T> filters;
        private final List<RankedServices.Entry<T>> entries;
        private final String phase;
        private final Function<T, CompletionStage<Verdict>> call;
        private final CompletableFuture<Outcome> outcome;
        private final List<HeaderChange> changes = new ArrayList<>();

        Phase(RankedServices<T> filters, List<RankedServices.Entry<T>> entries, String phase,
              Function<T, CompletionStage<Verdict>> call, CompletableFuture<Outcome> outcome) {
            this.filters = filters;
            this.entries = entries;
            this.phase = phase;
            this.call = call;
            this.outcome = outcome;
        }

        void next(int i) {
            while (i < entries.size() && !filters.contains(entries.get(i).service())) {
                i++; // unregistered since the phase started: as if it had never been there
            }
            if (i == entries.size()) {
                outcome.complete(new Outcome(Verdict.CONTINUE, List.copyOf(changes)));
                return;
            }
            int index = i;
            RankedServices.Entry<T> entry = entries.get(i);
            invoke(entry).whenComplete((verdict, failure) -> decide(index, entry, verdict, failure));
        }

        private void decide(int i, RankedServices.Entry<T> entry, Verdict verdict, Throwable failure) {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException || failure instanceof ExecutionException
                        ? failure.getCause() : failure;
                if (entry.settings().failOpen()) {
                    LOG.warn("{} filter {} failed ({}); failing open, skipped", phase, entry.name(), String.valueOf(cause));
                    next(i + 1);
                } else {
                    LOG.warn("{} filter {} failed ({}); failing closed with 451", phase, entry.name(),
                            String.valueOf(cause));
                    outcome.complete(FAILED);
                }
            } else if (verdict instanceof Verdict.ModifyHeaders m) {
                changes.addAll(m.changes());
                next(i + 1);
            } else if (verdict instanceof Verdict.Continue) {
                next(i + 1);
            } else {
                outcome.complete(new Outcome(verdict, List.copyOf(changes)));
            }
        }

        /**
         * The filter's verdict, failed on a throw, a null, the timeout or the filter's unregistration. A filter that
         * declares itself non-blocking is called right here (maybe on the I/O thread) and, when it answered at
         * once as it promised, costs no filter thread, no timer and no hand-off back.
         */
        private CompletableFuture<Verdict> invoke(RankedServices.Entry<T> entry) {
            CompletableFuture<Verdict> result = new CompletableFuture<>();
            boolean inPlace = entry.settings().nonBlocking();
            if (inPlace) {
                call(entry, result);
                if (result.isDone()) {
                    return result;
                }
            }
            entry.pending().add(result);
            if (!filters.contains(entry.service())) {
                result.completeExceptionally(new IllegalStateException("filter unregistered during the call"));
            }
            long timeout = entry.settings().timeoutMillis();
            try {
                ScheduledFuture<?> deadline = timer.schedule(() -> result.completeExceptionally(
                        new TimeoutException("no verdict after " + timeout + " ms")), timeout, TimeUnit.MILLISECONDS);
                result.whenComplete((v, e) -> {
                    deadline.cancel(false);
                    entry.pending().remove(result);
                });
                if (!inPlace) {
                    callers.execute(() -> call(entry, result));
                }
            } catch (RejectedExecutionException e) {
                entry.pending().remove(result);
                result.completeExceptionally(
                        new RejectedExecutionException("no filter thread free (listener stopping or filters hung)"));
            }
            return result;
        }

        private void call(RankedServices.Entry<T> entry, CompletableFuture<Verdict> result) {
            FilterCall.complete(result, () -> call.apply(entry.service()), entry.timer());
        }
    }
}
