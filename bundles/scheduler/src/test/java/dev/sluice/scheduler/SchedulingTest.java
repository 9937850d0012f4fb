package dev.sluice.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.event.DeliveryEvent.Kind;
import dev.sluice.api.queue.QueueEntry;
import dev.sluice.api.queue.RecipientStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulingTest {

    @Test
    void dueMessagesGoInDueOrder() {
        Harness h = new Harness().start();
        h.agent.script.put("a.example", new java.util.ArrayList<>(List.of(
                dev.sluice.api.mail.Reply.of(451, "4.7.1", "later"))));
        QueueEntry late = h.submit("s@sender.example", "x@a.example");
        h.advance(Duration.ofSeconds(10));
        h.agent.script.clear();
        QueueEntry early = h.submit("s@sender.example", "y@a.example");
        // early was delivered at once; late is due after its 5 min backoff
        assertEquals(List.of("x@a.example", "y@a.example"), recipients(h));
        h.agent.hang.add("a.example");
        QueueEntry second = h.submit("s@sender.example", "z@a.example");
        h.agent.hang.clear();
        h.agent.completeOldest(dev.sluice.api.mail.Reply.of(452, "4.2.2", "full"));
        h.time.settle();
        // x due at +310 s, z at +315 s: they must come back in that order
        h.advance(Duration.ofMinutes(6));
        assertEquals(List.of("x@a.example", "y@a.example", "z@a.example", "x@a.example", "z@a.example"),
                recipients(h));
        assertFalse(h.queue.contains(late) || h.queue.contains(early) || h.queue.contains(second));
    }

    @Test
    void aMessageWhoseRecipientsAreAllStoredFinalIsForgottenWithoutAnotherRead() {
        Harness h = new Harness().start();
        h.agent.script.put("b.example", new java.util.ArrayList<>(List.of(
                dev.sluice.api.mail.Reply.of(451, "4.7.1", "later"))));
        QueueEntry done = h.submit("s@sender.example", "x@a.example", "y@a.example");
        QueueEntry waiting = h.submit("s@sender.example", "x@a.example", "y@b.example");
        assertFalse(h.queue.contains(done));
        assertEquals(1, h.queue.gets.get(done.id()), "read once to send it, not again after the round");
        assertTrue(h.queue.contains(waiting));
        assertEquals(3, h.queue.gets.get(waiting.id()), "one read per destination, then its state after the round");
        assertEquals(1, h.scheduler.summary().messages(), "only the deferred one stays in the index");
    }

    @Test
    void recipientsAreBatchedByDestinationAndTransactionSize() {
        Harness h = new Harness().start();
        h.shaper.maxRecipients = 2;
        h.submit("s@sender.example", "a1@a.example", "b1@b.example", "a2@a.example", "a3@a.example");
        assertEquals(3, h.agent.requests.size());
        assertEquals(List.of("a1@a.example", "a2@a.example"), h.agent.recipientsOf(0));
        assertEquals(List.of("a3@a.example"), h.agent.recipientsOf(1));
        assertEquals(List.of("b1@b.example"), h.agent.recipientsOf(2));
        assertEquals("mx.a.example", h.agent.requests.get(0).path().site());
        assertEquals(1, h.agent.requests.get(0).attempt());
        assertEquals(4, h.events.stream().filter(e -> e.kind() == Kind.DELIVERED).count());
    }

    @Test
    void aDestinationThatNeverAnswersDoesNotDelayAnother() {
        Harness h = new Harness().start();
        h.shaper.maxConnections = 1;
        h.agent.hang.add("dead.example");
        for (int i = 0; i < 5; i++) {
            h.submit("s@sender.example", "u" + i + "@dead.example");
        }
        for (int i = 0; i < 20; i++) {
            h.submit("s@sender.example", "u" + i + "@live.example");
        }
        assertEquals(20, h.events.stream().filter(e -> e.kind() == Kind.DELIVERED).count());
        assertEquals(1, h.agent.pending.size(), "dead destination is limited to its one connection");
    }

    @Test
    void concurrencyPerPathNeverExceedsMaxConnections() {
        Harness h = new Harness().start();
        h.shaper.maxConnections = 3;
        h.agent.hang.add("big.example");
        for (int i = 0; i < 10; i++) {
            h.submit("s@sender.example", "u" + i + "@big.example");
        }
        assertEquals(3, h.agent.pending.size());
        // complete one at a time: each completion lets exactly one more through
        while (h.agent.completeOldest(dev.sluice.api.mail.Reply.of(250, "2.0.0", "OK"))) {
            h.time.settle();
            assertTrue(h.agent.pending.size() <= 3);
        }
        assertEquals(10, h.agent.requests.size());
        assertTrue(h.agent.maxInFlight.values().stream().allMatch(n -> n <= 3), h.agent.maxInFlight.toString());
        assertEquals(3, h.agent.maxInFlight.values().iterator().next());
    }

    @Test
    void aMessageRecoveredFromTheQueueAtActivationIsDelivered() {
        Harness h = new Harness();
        QueueEntry recovered = h.queue.add("s@sender.example", "r@a.example");
        h.start();
        assertFalse(h.queue.contains(recovered));
        assertEquals(List.of(Kind.DELIVERED), h.kinds("r@a.example"));
        assertEquals(RecipientStatus.DELIVERED.name(), h.queue.log.get(0).split(" ")[3]);
    }

    @Test
    void workPausesWithoutARouterAndResumesWhenOneArrives() {
        Harness h = new Harness().start();
        h.scheduler.unbindRouter(h.router);
        QueueEntry e = h.submit("s@sender.example", "p@a.example");
        h.advance(Duration.ofMinutes(1));
        assertTrue(h.agent.requests.isEmpty());
        assertTrue(h.queue.contains(e));
        h.scheduler.bindRouter(h.router);
        h.time.settle();
        assertFalse(h.queue.contains(e));
    }

    @Test
    void exhaustedMessageRateParksThePathUntilNextOpportunity() {
        Harness h = new Harness().start();
        h.shaper.tokens.put("mx.a.example", 1);
        h.submit("s@sender.example", "one@a.example");
        h.submit("s@sender.example", "two@a.example");
        assertEquals(1, h.agent.requests.size());
        h.shaper.tokens.remove("mx.a.example");
        h.advance(Duration.ofSeconds(1));
        assertEquals(2, h.agent.requests.size());
    }

    @Test
    void aSuspensionLiftedEarlyIsNoticedWithinTheMaximumWait() {
        Harness h = new Harness().start();
        h.shaper.tokens.put("mx.a.example", 0);
        h.shaper.nextIn = Duration.ofMinutes(30); // suspended for half an hour
        h.submit("s@sender.example", "one@a.example");
        assertEquals(0, h.agent.requests.size());
        h.shaper.tokens.remove("mx.a.example"); // the operator resumed it, and nobody told the scheduler
        h.advance(DestinationQueue.MAX_WAIT.minusMillis(1));
        assertEquals(0, h.agent.requests.size());
        h.advance(Duration.ofMillis(1));
        assertEquals(1, h.agent.requests.size(), "sent at the next check, not after 30 minutes");
    }

    @Test
    void destinationsSharingASiteShareItsConnectionLimit() {
        Harness h = new Harness().start();
        h.shaper.maxConnections = 2;
        h.router.routes.put("a.example", Fakes.FakeRouter.hops("a.example", "mx.shared.example"));
        h.router.routes.put("b.example", Fakes.FakeRouter.hops("b.example", "mx.shared.example"));
        h.agent.hang.add("a.example");
        h.agent.hang.add("b.example");
        for (int i = 0; i < 4; i++) {
            h.submit("s@sender.example", "u" + i + "@a.example", "v" + i + "@b.example");
        }
        assertEquals(2, h.agent.pending.size());
        while (h.agent.completeOldest(dev.sluice.api.mail.Reply.of(250, "2.0.0", "OK"))) {
            h.time.settle();
        }
        assertEquals(8, h.agent.requests.size());
        assertEquals(2, h.agent.maxInFlight.get(new dev.sluice.api.ratelimit.PathKey("mx.shared.example", "default")));
        assertEquals(0, h.queue.size());
    }

    @Test
    void holdingADestinationWithMailInItsReadyQueueStopsItAfterWhatIsInFlight() throws Exception {
        Harness h = new Harness().start();
        h.shaper.maxConnections = 1;
        h.agent.hang.add("a.example");
        for (int i = 0; i < 3; i++) {
            h.submit("s@sender.example", "u" + i + "@a.example");
        }
        assertEquals(1, h.agent.requests.size());
        assertEquals(3, h.scheduler.hold(dev.sluice.api.queue.QueueSelector.byDestination("a.example")));
        h.agent.hang.clear();
        h.agent.completeOldest(dev.sluice.api.mail.Reply.of(250, "2.0.0", "OK"));
        h.advance(Duration.ofHours(1));
        assertEquals(1, h.agent.requests.size(), "nothing new went out while held");
        assertEquals(2, h.queue.size());
        assertEquals(2, h.scheduler.release(dev.sluice.api.queue.QueueSelector.byDestination("a.example")));
        h.time.settle();
        assertEquals(3, h.agent.requests.size());
        assertEquals(0, h.queue.size());
    }

    private static List<String> recipients(Harness h) {
        return h.agent.requests.stream().flatMap(r -> r.envelope().recipients().stream())
                .map(r -> r.address().toString()).toList();
    }
}
