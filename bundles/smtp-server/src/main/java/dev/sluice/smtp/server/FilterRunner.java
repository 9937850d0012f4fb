package dev.sluice.smtp.server;

import dev.sluice.api.filter.HeaderChange;
import dev.sluice.api.filter.Verdict;
import dev.sluice.api.mail.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one phase's filters in ranking order on the calling worker thread (never a MINA I/O thread), enforcing
 * each filter's timeout and failure mode. The first verdict other than Continue/ModifyHeaders ends the phase.
 */
final class FilterRunner {

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
    private static final Logger LOG = LoggerFactory.getLogger(FilterRunner.class);
    private static final Outcome NONE = new Outcome(Verdict.CONTINUE, List.of());

    private FilterRunner() {
    }

    static <T> Outcome run(RankedServices<T> filters, String phase, Function<T, java.util.concurrent.CompletionStage<Verdict>> call) {
        List<RankedServices.Entry<T>> entries = filters.snapshot();
        if (entries.isEmpty()) {
            return NONE;
        }
        List<HeaderChange> changes = new ArrayList<>();
        for (RankedServices.Entry<T> entry : entries) {
            if (!filters.contains(entry.service())) {
                continue; // unregistered since the snapshot: as if it had never been there
            }
            Verdict verdict;
            try {
                CompletableFuture<Verdict> future = call.apply(entry.service()).toCompletableFuture();
                try {
                    verdict = future.get(entry.timeoutMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    future.cancel(true);
                    throw e;
                }
                if (verdict == null) {
                    throw new IllegalStateException("null verdict");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(new Verdict.TempFail(FILTER_FAILED), List.of());
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                Throwable cause = e instanceof ExecutionException || e instanceof CompletionException ? e.getCause() : e;
                if (entry.failOpen()) {
                    LOG.warn("{} filter {} failed ({}); failing open, skipped", phase, entry.name(), String.valueOf(cause));
                    continue;
                }
                LOG.warn("{} filter {} failed ({}); failing closed with 451", phase, entry.name(), String.valueOf(cause));
                return new Outcome(new Verdict.TempFail(FILTER_FAILED), List.of());
            }
            if (verdict instanceof Verdict.ModifyHeaders m) {
                changes.addAll(m.changes());
            } else if (!(verdict instanceof Verdict.Continue)) {
                return new Outcome(verdict, List.copyOf(changes));
            }
        }
        return new Outcome(Verdict.CONTINUE, List.copyOf(changes));
    }
}
