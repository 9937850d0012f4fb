package dev.sluice.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.event.DeliveryEvent.Kind;
import dev.sluice.api.filter.FilterProperties;
import dev.sluice.api.filter.PreDeliveryFilter;
import dev.sluice.api.filter.Verdict;
import dev.sluice.api.queue.QueueEntry;
import dev.sluice.api.queue.RecipientStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Pre-delivery filters that declare sluice.filter.nonblocking are called on the worker, in place. */
class NonBlockingFilterTest {

    @Test
    void aNonBlockingFilterIsCalledOnTheWorkerAndAnOrdinaryOneOnAFilterThread() throws Exception {
        SchedulerComponent scheduler = new SchedulerComponent(Harness.config(Map.of()));
        FakeQueue queue = new FakeQueue(Instant::now);
        List<String> threads = new CopyOnWriteArrayList<>();
        PreDeliveryFilter first = req -> {
            threads.add("first " + Thread.currentThread().getName());
            return CompletableFuture.completedFuture(Verdict.CONTINUE);
        };
        PreDeliveryFilter second = req -> {
            threads.add("second " + Thread.currentThread().getName());
            return CompletableFuture.completedFuture(Verdict.CONTINUE);
        };
        scheduler.addFilter(first, Map.of("service.ranking", 2, FilterProperties.NON_BLOCKING, "true"));
        scheduler.addFilter(second, Map.of("service.ranking", 1));
        CountDownLatch delivered = Harness.bindForDelivery(scheduler, queue);
        try {
            scheduler.queued(queue.add("s@sender.example", "r@a.example"));
            assertTrue(delivered.await(10, TimeUnit.SECONDS));
        } finally {
            scheduler.deactivate();
        }
        assertEquals(2, threads.size(), threads.toString());
        assertTrue(threads.get(0).startsWith("first sluice-scheduler-worker-"), threads.toString());
        assertTrue(threads.get(1).startsWith("second sluice-scheduler-filter-"), threads.toString());
    }

    @Test
    void aNonBlockingFilterThatDoesNotAnswerIsStillTimedOutAndOneThatThrowsFails() {
        Harness h = new Harness().start();
        PreDeliveryFilter late = req -> new CompletableFuture<>();
        h.scheduler.addFilter(late, Map.of(FilterProperties.NON_BLOCKING, true, FilterProperties.TIMEOUT_MILLIS, 1000));
        QueueEntry e = h.submit("s@sender.example", "r@a.example");
        assertEquals(RecipientStatus.PENDING, h.queue.recipient(e, 0).status());
        h.advance(Duration.ofSeconds(2));
        assertEquals(RecipientStatus.DEFERRED, h.queue.recipient(e, 0).status());
        h.scheduler.removeFilter(late);

        h.scheduler.addFilter(req -> {
            throw new IllegalStateException("broken");
        }, Map.of(FilterProperties.NON_BLOCKING, true, FilterProperties.FAILURE_MODE, FilterProperties.FAIL_OPEN));
        h.submit("s@sender.example", "r2@a.example");
        assertEquals(List.of(Kind.DELIVERED), h.kinds("r2@a.example"), "fail open: skipped");
    }
}
