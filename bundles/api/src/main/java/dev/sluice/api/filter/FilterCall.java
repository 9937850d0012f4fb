package dev.sluice.api.filter;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * How a host (the SMTP listener, the scheduler) calls one filter: whatever the filter does — throw, return
 * null, fail its stage, or answer after the host gave up — ends as a completion of {@code result}, never as an
 * exception on the calling thread. Called on a filter pool thread, or in place for a filter that declares
 * {@link FilterProperties#NON_BLOCKING}; {@code result} may already be done (timed out or the filter unregistered
 * while the call waited for a thread), and then the filter is not called.
 */
public final class FilterCall {

    private FilterCall() {
    }

    public static void complete(CompletableFuture<Verdict> result, Supplier<CompletionStage<Verdict>> call) {
        complete(result, call, FilterTimer.NONE);
    }

    /**
     * As {@link #complete(CompletableFuture, Supplier)}, and records how long the filter took, from the call until
     * {@code result} completed (by the filter, a failure or the host's timeout), and how it ended.
     *
     * @since 1.3
     */
    public static void complete(CompletableFuture<Verdict> result, Supplier<CompletionStage<Verdict>> call,
                                FilterTimer timer) {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(timer, "timer");
        if (result.isDone()) {
            return;
        }
        long start = System.nanoTime();
        result.whenComplete((v, e) -> timer.record(v, e, System.nanoTime() - start));
        try {
            CompletionStage<Verdict> stage = call.get();
            if (stage == null) {
                result.completeExceptionally(new IllegalStateException("null stage"));
                return;
            }
            stage.whenComplete((v, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else if (v == null) {
                    result.completeExceptionally(new IllegalStateException("null verdict"));
                } else {
                    result.complete(v);
                }
            });
            // Tell a filter that is still working once its answer no longer matters.
            result.whenComplete((v, e) -> {
                if (e != null) {
                    cancel(stage);
                }
            });
        } catch (RuntimeException | LinkageError | AssertionError e) {
            result.completeExceptionally(e); // LinkageError: the filter's bundle went away under the call
        }
    }

    private static void cancel(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().cancel(true);
        } catch (RuntimeException e) {
            // a stage that cannot be cancelled: the filter finishes on its own, its answer is ignored
        }
    }
}
