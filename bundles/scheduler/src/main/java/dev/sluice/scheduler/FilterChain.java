package dev.sluice.scheduler;

import dev.sluice.api.filter.PreDeliveryFilter;
import dev.sluice.api.filter.PreDeliveryRequest;
import dev.sluice.api.filter.FilterCall;
import dev.sluice.api.filter.Verdict;
import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.MessageContent;
import dev.sluice.api.mail.QueueId;
import dev.sluice.api.mail.Reply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pre-delivery filters of a batch in ranking order, each under its timeout and failure mode.
 * Never fails: every problem becomes a {@link Result}.
 */
final class FilterChain {

    private static final Logger LOG = LoggerFactory.getLogger(FilterChain.class);

    private final Services services;
    private final TaskTimer timer;
    /** Verdicts are handled on a worker, never on the timer thread or a filter's own thread. */
    private final Executor workers;
    /** Where filters are called. */
    private final Executor callers;

    /** What the filters decided for a batch. */
    sealed interface Result {
        record Deliver(MessageContent content) implements Result {
        }

        record Bounce(Reply reply) implements Result {
        }

        record Defer(Reply reply) implements Result {
        }

        record Drop(String filter) implements Result {
        }
    }

    FilterChain(Services services, TaskTimer timer, Executor workers, Executor callers) {
        this.services = services;
        this.timer = timer;
        this.workers = workers;
        this.callers = callers;
    }

    /** True when a batch has filters to pass (and so its header will be needed). */
    boolean active() {
        return !services.filters().isEmpty();
    }

    /**
     * @param headers the content's header block, read by the caller (who may need it too); null when it could
     *                not be read, which defers the batch if there are filters
     */
    CompletionStage<Result> run(QueueId id, Envelope envelope, MessageContent content, Headers headers) {
        List<Services.Ranked<PreDeliveryFilter>> filters = services.filters();
        if (filters.isEmpty()) {
            return CompletableFuture.completedFuture(new Result.Deliver(content));
        }
        if (headers == null) {
            LOG.warn("Cannot read the header of {} for pre-delivery filters", id);
            return CompletableFuture.completedFuture(new Result.Defer(unavailable("queue")));
        }
        return step(filters, 0, id, envelope, content, headers, headers);
    }

    private CompletionStage<Result> step(List<Services.Ranked<PreDeliveryFilter>> filters, int i, QueueId id,
                                         Envelope envelope, MessageContent original, Headers stored, Headers now) {
        MessageContent content = now == stored ? original : new ModifiedContent(original, now);
        while (i < filters.size() && !services.hasFilter(filters.get(i).service())) {
            i++; // unregistered since the batch started: as if it had never been there
        }
        if (i == filters.size()) {
            return CompletableFuture.completedFuture(new Result.Deliver(content));
        }
        int index = i;
        var filter = filters.get(i);
        PreDeliveryRequest request = new PreDeliveryRequest(id, envelope, now.parsed(), content);
        CompletableFuture<Verdict> call = withTimeout(filter, request);
        if (call.isDone()) {
            // answered in place (a non-blocking filter): go on here, no hand-off to another worker
            return next(decide(filter, id, content, now, call), filters, index, id, envelope, original, stored);
        }
        return call.handleAsync((verdict, failure) -> decide(filter, id, content, now, call), workers)
                .thenCompose(step -> next(step, filters, index, id, envelope, original, stored));
    }

    private CompletionStage<Result> next(Step step, List<Services.Ranked<PreDeliveryFilter>> filters, int index,
                                         QueueId id, Envelope envelope, MessageContent original, Headers stored) {
        return step.result() != null ? CompletableFuture.completedFuture(step.result())
                : step(filters, index + 1, id, envelope, original, stored, step.headers());
    }

    private static Step decide(Services.Ranked<PreDeliveryFilter> filter, QueueId id, MessageContent content,
                               Headers now, CompletableFuture<Verdict> call) {
        Verdict verdict;
        try {
            verdict = call.join();
        } catch (RuntimeException e) {
            Throwable failure = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            LOG.warn("Pre-delivery filter {} failed for {} (fail {})", filter.name(), id,
                    filter.failOpen() ? "open: skipped" : "closed: deferred", failure);
            return new Step(filter.failOpen() ? null : new Result.Defer(unavailable(filter.name())), now);
        }
        if (verdict instanceof Verdict.Reject r) {
            return new Step(new Result.Bounce(r.reply()), now);
        } else if (verdict instanceof Verdict.TempFail t) {
            return new Step(new Result.Defer(t.reply()), now);
        } else if (verdict instanceof Verdict.Discard) {
            return new Step(new Result.Drop(filter.name()), now);
        } else if (verdict instanceof Verdict.Accept) {
            return new Step(new Result.Deliver(content), now);
        } else if (verdict instanceof Verdict.ModifyHeaders m) {
            return new Step(null, now.apply(m.changes()));
        }
        return new Step(null, now);
    }

    /** A final result, or null and the header to go on with. */
    private record Step(Result result, Headers headers) {
    }

    /**
     * The filter's verdict, failed on a throw, a null, the timeout or the filter's unregistration. The filter is
     * called on a filter thread, so one that blocks inside its method holds neither a worker nor the batch; one
     * that declares itself non-blocking is called here and, when it answered at once as it promised, costs no
     * filter thread and no timer.
     */
    private CompletableFuture<Verdict> withTimeout(Services.Ranked<PreDeliveryFilter> filter,
                                                   PreDeliveryRequest request) {
        CompletableFuture<Verdict> result = new CompletableFuture<>();
        if (filter.nonBlocking()) {
            call(filter, request, result);
            if (result.isDone()) {
                return result;
            }
        }
        filter.pending().add(result);
        if (!services.hasFilter(filter.service())) {
            result.completeExceptionally(new IllegalStateException("filter unregistered"));
        }
        TaskTimer.Cancellable deadline = timer.schedule(Duration.ofMillis(filter.timeoutMillis()),
                () -> result.completeExceptionally(new TimeoutException(
                        "no verdict after " + filter.timeoutMillis() + " ms")));
        result.whenComplete((v, e) -> {
            deadline.cancel();
            filter.pending().remove(result);
        });
        if (filter.nonBlocking()) {
            return result;
        }
        try {
            callers.execute(() -> call(filter, request, result));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new RejectedExecutionException("no filter thread free"));
        }
        return result;
    }

    private static void call(Services.Ranked<PreDeliveryFilter> filter, PreDeliveryRequest request,
                             CompletableFuture<Verdict> result) {
        FilterCall.complete(result, () -> filter.service().beforeDelivery(request), filter.timer());
    }

    private static Reply unavailable(String what) {
        return Reply.of(451, "4.3.0", "Pre-delivery check unavailable (" + what + "), will retry");
    }
}
