package dev.sluice.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.event.DeliveryEvent.Kind;
import dev.sluice.api.filter.FilterProperties;
import dev.sluice.api.filter.PreDeliveryFilter;
import dev.sluice.api.filter.Verdict;
import dev.sluice.api.queue.QueueEntry;
import dev.sluice.api.queue.RecipientStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Pre-delivery filters that go away, hang inside their method or carry wrong properties. */
class FilterFailureTest {

    @Test
    void aFilterUnregisteredDuringItsCallDefersAtOnceOrIsSkippedWhenFailOpen() {
        Harness closed = new Harness().start();
        PreDeliveryFilter gone = req -> new CompletableFuture<>();
        closed.scheduler.addFilter(gone, Map.of(FilterProperties.TIMEOUT_MILLIS, 600_000));
        QueueEntry e = closed.submit("s@sender.example", "r@a.example");
        assertEquals(RecipientStatus.PENDING, closed.queue.recipient(e, 0).status());
        closed.scheduler.removeFilter(gone);
        closed.time.settle(); // no time passes: the removal alone decides
        assertEquals(RecipientStatus.DEFERRED, closed.queue.recipient(e, 0).status());
        assertEquals("4.3.0", closed.queue.recipient(e, 0).attempts().get(0).reply().enhancedStatus());

        Harness open = new Harness().start();
        PreDeliveryFilter goneOpen = req -> new CompletableFuture<>();
        open.scheduler.addFilter(goneOpen, Map.of(FilterProperties.TIMEOUT_MILLIS, 600_000,
                FilterProperties.FAILURE_MODE, FilterProperties.FAIL_OPEN));
        open.submit("s@sender.example", "r@a.example");
        open.scheduler.removeFilter(goneOpen);
        open.time.settle();
        assertEquals(List.of(Kind.DELIVERED), open.kinds("r@a.example"));
    }

    @Test
    void updatedPropertiesReorderAndWrongValuesFallBackToDefaults() {
        Harness h = new Harness().start();
        List<String> calls = new CopyOnWriteArrayList<>();
        PreDeliveryFilter a = req -> {
            calls.add("a");
            return CompletableFuture.completedFuture(Verdict.CONTINUE);
        };
        PreDeliveryFilter b = req -> {
            calls.add("b");
            return CompletableFuture.completedFuture(Verdict.CONTINUE);
        };
        h.scheduler.addFilter(a, Map.of("service.ranking", 5, "service.id", 1L));
        // a wrong timeout used to throw from the bind method, leaving the filter out silently
        h.scheduler.addFilter(b, Map.of("service.ranking", 1, "service.id", 2L, FilterProperties.TIMEOUT_MILLIS, "soon"));
        h.submit("s@sender.example", "r1@a.example");
        h.scheduler.updatedFilter(b, Map.of("service.ranking", 9, "service.id", 2L));
        h.submit("s@sender.example", "r2@a.example");
        assertEquals(List.of("a", "b", "b", "a"), calls);
    }

    @Test
    void aFilterBlockedInsideItsMethodDefersTheBatchWithoutHoldingTheScheduler() throws Exception {
        SchedulerComponent scheduler = new SchedulerComponent(Harness.config(Map.of("workerThreads", 1)));
        FakeQueue queue = new FakeQueue(Instant::now);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        scheduler.addFilter(req -> {
            if (req.envelope().recipients().get(0).address().domain().equals("stuck.example")) {
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
            }
            return CompletableFuture.completedFuture(Verdict.CONTINUE);
        }, Map.of(FilterProperties.TIMEOUT_MILLIS, 200));
        CountDownLatch delivered = Harness.bindForDelivery(scheduler, queue);
        try {
            QueueEntry stuck = queue.add("s@sender.example", "r@stuck.example");
            scheduler.queued(stuck);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (queue.recipient(stuck, 0).status() != RecipientStatus.DEFERRED && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
            }
            assertEquals(RecipientStatus.DEFERRED, queue.recipient(stuck, 0).status());
            // the one worker is free: other mail goes out while the filter is still blocked
            scheduler.queued(queue.add("s@sender.example", "r@fine.example"));
            assertTrue(delivered.await(10, TimeUnit.SECONDS));
        } finally {
            scheduler.deactivate();
        }
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the blocked filter call was not interrupted on deactivate");
        release.countDown();
    }
}
