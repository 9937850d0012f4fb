package dev.sluice.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.event.DeliveryEvent.Kind;
import dev.sluice.api.queue.QueueEntry;
import dev.sluice.api.queue.QueueSelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two egress sources serve one destination: mail placed on a source that cannot send now (a closed window, a
 * suspension of its path) waits aside for it, and the other source's mail to the same destination goes past.
 */
class SourceWaitsTest {

    private static Harness twoSources() {
        Harness h = new Harness().start();
        h.shaper.sourceBySender.put("a.example", "A");
        h.shaper.sourceBySender.put("b.example", "B");
        h.shaper.closedSources.add("A");
        return h;
    }

    @Test
    void aSourceThatCannotSendDoesNotHoldBackTheOtherSourcesOfTheDestination() {
        Harness h = twoSources();
        List<QueueEntry> a = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            a.add(h.submit("s@a.example", "a" + i + "@d.example"));
        }
        h.submit("s@b.example", "b1@d.example");
        h.submit("s@b.example", "b2@d.example");
        assertEquals(List.of("b1@d.example", "b2@d.example"), delivered(h), "A's wait for A; B's go past them");
        assertEquals(List.of(0, 0), List.of(gets(h, a.get(1)), gets(h, a.get(2))),
                "behind A's first, A's sender's later mail waits without being loaded");

        h.shaper.closedSources.remove("A"); // e.g. A's window opens: the shaper's forecast said when
        h.advance(DestinationQueue.MAX_WAIT);
        assertEquals(List.of("b1@d.example", "b2@d.example", "a1@d.example", "a2@d.example", "a3@d.example"),
                delivered(h), "then A's, in their order");
        for (QueueEntry e : a) {
            assertEquals(1, gets(h, e), "each loaded once");
        }
    }

    @Test
    void mailOfAnotherSenderPlacedOnTheWaitingSourceQueuesBehindItsMail() {
        Harness h = twoSources();
        h.shaper.sourceBySender.put("c.example", "A"); // A also carries c.example's mail
        h.submit("s@a.example", "a1@d.example");
        h.submit("s@c.example", "c1@d.example");
        h.submit("s@b.example", "b1@d.example");
        h.submit("s@a.example", "a2@d.example");
        assertEquals(List.of("b1@d.example"), delivered(h));

        h.shaper.closedSources.remove("A");
        h.advance(DestinationQueue.MAX_WAIT);
        assertEquals(List.of("b1@d.example", "a1@d.example", "c1@d.example", "a2@d.example"), delivered(h),
                "A's mail in its order");
    }

    @Test
    void moreThanMaxWaitingForTheirSourceHoldOneLoadedMessageAndTheOtherSourceStillPasses() {
        Harness h = twoSources();
        int waiting = Waits.MAX + 10; // more than may wait loaded
        List<QueueEntry> a = new ArrayList<>();
        for (int i = 1; i <= waiting; i++) {
            a.add(h.queue.add("s@a.example", "a" + i + "@d.example"));
        }
        a.forEach(h.scheduler::queued);
        h.submit("s@b.example", "b1@d.example");
        assertEquals(List.of("b1@d.example"), delivered(h), "B's goes past " + waiting + " of A's");
        assertEquals(1, a.stream().filter(e -> gets(h, e) > 0).count(), "only A's first is loaded");

        h.shaper.closedSources.remove("A");
        h.advance(DestinationQueue.MAX_WAIT);
        assertEquals(waiting + 1, delivered(h).size());
        assertEquals("a" + waiting + "@d.example", delivered(h).get(waiting));
    }

    @Test
    void mailWaitingForItsSourceIsKeptBackWithItsDestinationAndSentOnceAfterTheRelease() throws Exception {
        Harness h = twoSources();
        QueueEntry a1 = h.submit("s@a.example", "a1@d.example");
        QueueEntry a2 = h.submit("s@a.example", "a2@d.example");
        h.submit("s@b.example", "b1@d.example");
        h.scheduler.hold(QueueSelector.byDestination("d.example"));
        h.time.settle();
        h.scheduler.release(QueueSelector.byDestination("d.example"));
        h.time.settle();
        assertEquals(List.of("b1@d.example"), delivered(h));

        h.shaper.closedSources.remove("A");
        h.advance(DestinationQueue.MAX_WAIT);
        assertEquals(List.of("b1@d.example", "a1@d.example", "a2@d.example"), delivered(h), "each once, in order");
        assertEquals(List.of(Kind.DELIVERED), h.kinds("a1@d.example"));
        assertEquals(List.of(Kind.DELIVERED), h.kinds("a2@d.example"));
        assertEquals(List.of(false, false), List.of(h.queue.contains(a1), h.queue.contains(a2)), "done with");
    }

    @Test
    void mailWaitingForItsSourceWhenTheQueueIsReplacedIsSentOnce() {
        Harness h = twoSources();
        h.submit("s@a.example", "a1@d.example");
        h.submit("s@a.example", "a2@d.example"); // waits unloaded behind a1
        h.scheduler.unbindQueue(h.queue);
        h.scheduler.bindQueue(h.queue); // the same spool, read afresh: new entries for the same messages
        h.time.settle();

        h.shaper.closedSources.remove("A");
        h.advance(DestinationQueue.MAX_WAIT);
        assertEquals(List.of("a1@d.example", "a2@d.example"), delivered(h), "each once, in order");
    }

    @Test
    void aShutSourceAndATenantOutOfBudgetEachWaitInTheirOwnLineWhileTheRestGoesPast() {
        Harness h = twoSources();
        h.shaper.tenantHeader = "X-Tenant";
        h.shaper.tenantTokens.put("acme", 0);
        h.queue.extraHeaders = "X-Tenant: acme\r\n";
        h.submit("s@b.example", "acme1@d.example"); // source B is open, tenant acme is not
        h.queue.extraHeaders = "X-Tenant: bob\r\n";
        h.submit("s@a.example", "a1@d.example"); // tenant bob is open, source A is not
        h.submit("s@b.example", "b1@d.example");
        assertEquals(List.of("b1@d.example"), delivered(h));

        h.shaper.tenantTokens.put("acme", 5);
        h.advance(Duration.ofSeconds(1)); // the shaper's next opportunity for acme
        assertEquals(List.of("b1@d.example", "acme1@d.example"), delivered(h), "acme's budget is back, A is still shut");

        h.shaper.closedSources.remove("A");
        h.advance(DestinationQueue.MAX_WAIT);
        assertEquals(List.of("b1@d.example", "acme1@d.example", "a1@d.example"), delivered(h));
    }

    @Test
    void loadedMessagesWaitingAsideAreBoundedOverAllDestinationsAndNoneIsLost() {
        Harness h = new Harness().start();
        h.shaper.closedSources.add("default"); // every sender's mail is placed on the one shut source
        int destinations = 8;
        int senders = 700; // fewer than Waits.MAX per destination: only the bound over all destinations applies
        List<QueueEntry> all = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            for (int d = 0; d < destinations; d++) {
                all.add(h.queue.add("s@sender" + s + ".example", "r" + s + "@d" + d + ".example"));
            }
        }
        all.forEach(h.scheduler::queued);
        h.time.settle();
        long loaded = all.stream().filter(e -> gets(h, e) > 0).count();
        assertTrue(loaded > WaitingBudget.MAX / 2, "mail of many senders parks: " + loaded);
        assertTrue(loaded <= WaitingBudget.MAX + destinations,
                "at most the bound, and one in hand per destination: " + loaded);

        h.shaper.closedSources.remove("default");
        h.advance(DestinationQueue.MAX_WAIT);
        h.advance(DestinationQueue.MAX_WAIT);
        assertEquals(all.size(), delivered(h).size(), "every message sent once the source opens");
        assertEquals(all.size(), new java.util.HashSet<>(delivered(h)).size(), "each once");
    }

    private static int gets(Harness h, QueueEntry e) {
        synchronized (h.queue) {
            return h.queue.gets.getOrDefault(e.id(), 0);
        }
    }

    private static List<String> delivered(Harness h) {
        return h.agent.requests.stream().map(r -> r.envelope().recipients().get(0).address().toString()).toList();
    }
}
