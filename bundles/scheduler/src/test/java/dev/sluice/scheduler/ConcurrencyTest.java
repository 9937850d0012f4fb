package dev.sluice.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.delivery.DeliveryAgent;
import dev.sluice.api.delivery.DeliveryReport;
import dev.sluice.api.delivery.DeliveryRequest;
import dev.sluice.api.event.DeliveryEvent;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.ratelimit.PathKey;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Real worker threads and an agent answering from its own threads, in any order. */
class ConcurrencyTest {

    private static final int MESSAGES = 2000;
    private static final int MAX_CONNECTIONS = 3;

    @Test
    void everyRecipientIsDeliveredExactlyOnceWithinTheConnectionLimit() throws Exception {
        ExecutorService remote = Executors.newFixedThreadPool(4);
        Map<PathKey, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        AtomicInteger worst = new AtomicInteger();
        // handed to the agent and not yet recorded: what a crash could deliver twice
        Map<String, AtomicInteger> unrecorded = new ConcurrentHashMap<>();
        AtomicInteger worstUnrecorded = new AtomicInteger();
        DeliveryAgent agent = request -> {
            int n = inFlight.computeIfAbsent(request.path(), p -> new AtomicInteger()).incrementAndGet();
            worst.accumulateAndGet(n, Math::max);
            int u = unrecorded.computeIfAbsent(request.path().site(), p -> new AtomicInteger()).incrementAndGet();
            worstUnrecorded.accumulateAndGet(u, Math::max);
            CompletionStage<DeliveryReport> answer = CompletableFuture.supplyAsync(() -> {
                // the first try of every fifth message is deferred, so retries run concurrently too
                Reply reply = request.attempt() == 1 && ThreadLocalRandom.current().nextInt(5) == 0
                        ? Reply.of(451, "4.7.1", "later") : Reply.of(250, "2.0.0", "OK");
                inFlight.get(request.path()).decrementAndGet();
                return Fakes.FakeAgent.report(request, reply);
            }, remote);
            return answer;
        };
        SchedulerComponent scheduler = new SchedulerComponent(Harness.config(Map.of("retryInitialSeconds", 1L,
                "retryMaxSeconds", 1L)));
        FakeQueue queue = new FakeQueue(Instant::now);
        Fakes.FakeShaper shaper = new Fakes.FakeShaper();
        shaper.maxConnections = MAX_CONNECTIONS;
        Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(MESSAGES);
        scheduler.addListener(e -> {
            unrecorded.get("mx." + e.destination()).decrementAndGet();
            if (e.kind() == DeliveryEvent.Kind.DELIVERED) {
                delivered.computeIfAbsent(e.recipient(), r -> new AtomicInteger()).incrementAndGet();
                done.countDown();
            }
        }, Map.of());
        scheduler.bindQueue(queue);
        scheduler.bindRouter(new Fakes.FakeRouter());
        scheduler.bindShaper(shaper);
        scheduler.bindAgent(agent);
        try {
            for (int i = 0; i < MESSAGES; i++) {
                scheduler.queued(queue.add("s@sender.example", "u" + i + "@d" + (i % 17) + ".example"));
            }
            assertTrue(done.await(30, TimeUnit.SECONDS), "delivered " + delivered.size() + " of " + MESSAGES);
            assertEquals(MESSAGES, delivered.size());
            assertTrue(delivered.values().stream().allMatch(n -> n.get() == 1), "a recipient was delivered twice");
            assertTrue(worst.get() <= MAX_CONNECTIONS, "in flight on one path: " + worst.get());
            assertTrue(worstUnrecorded.get() <= MAX_CONNECTIONS, "delivered but not recorded on one path: "
                    + worstUnrecorded.get());
            assertEquals(0, queue.size());
        } finally {
            scheduler.deactivate();
            remote.shutdownNow();
        }
    }
}
