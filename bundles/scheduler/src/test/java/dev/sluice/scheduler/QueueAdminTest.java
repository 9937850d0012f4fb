package dev.sluice.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.delivery.DsnAction;
import dev.sluice.api.event.DeliveryEvent.Kind;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.queue.QueueAdmin;
import dev.sluice.api.queue.QueueEntry;
import dev.sluice.api.queue.QueuePage;
import dev.sluice.api.queue.QueueSelector;
import dev.sluice.api.queue.QueueSummary;
import dev.sluice.api.queue.RecipientStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueueAdminTest {

    private static final Reply LATER = Reply.of(451, "4.7.1", "Try again later");
    private static final QueueSelector EMPTY = new QueueSelector(null, null, null, null, null, null, null, false);

    @Test
    void aSelectorWithoutCriteriaIsRefused() {
        QueueAdmin admin = new Harness().start().scheduler;
        assertThrows(IllegalArgumentException.class, () -> admin.delete(EMPTY, true));
        assertThrows(IllegalArgumentException.class, () -> admin.hold(EMPTY));
        assertThrows(IllegalArgumentException.class, () -> admin.retryNow(EMPTY));
        assertThrows(IllegalArgumentException.class, () -> admin.search(EMPTY, 0, 10));
        assertEquals(0, admin.search(QueueSelector.all(), 0, 10).total());
    }

    @Test
    void holdingADestinationKeepsOldAndNewMailBackUntilReleased() throws Exception {
        Harness h = new Harness().start();
        h.agent.script.put("a.example", new java.util.ArrayList<>(List.of(LATER, LATER, Reply.of(250, "2.0.0", "OK"))));
        QueueEntry first = h.submit("s@sender.example", "x@a.example");
        QueueEntry second = h.submit("s@sender.example", "y@a.example");
        assertEquals(2, h.scheduler.hold(QueueSelector.byDestination("A.example")));
        assertEquals(java.util.Set.of("a.example"), h.scheduler.heldDestinations());
        h.scheduler.retryNow(QueueSelector.all());
        QueueEntry fresh = h.submit("s@sender.example", "z@a.example", "w@b.example");
        h.advance(Duration.ofHours(1));
        assertEquals(3, h.agent.requests.size(), "only the first two tries and b.example went out");
        assertEquals(List.of(Kind.DELIVERED), h.kinds("w@b.example"));
        assertEquals(3L, h.scheduler.summary().messagesByDestination().get("a.example"));
        assertEquals(3, h.scheduler.release(QueueSelector.byDestination("a.example")));
        assertTrue(h.scheduler.heldDestinations().isEmpty());
        h.time.settle();
        assertFalse(h.queue.contains(first) || h.queue.contains(second) || h.queue.contains(fresh));
        assertTrue(h.scheduler.summary().messagesByDestination().isEmpty());
    }

    @Test
    void holdingOneMessageIsDurableAndReleaseSendsIt() throws Exception {
        Harness h = new Harness().start();
        h.agent.script.put("a.example", new java.util.ArrayList<>(List.of(LATER, Reply.of(250, "2.0.0", "OK"))));
        QueueEntry e = h.submit("s@sender.example", "x@a.example");
        assertEquals(1, h.scheduler.hold(QueueSelector.byId(e.id())));
        assertTrue(h.queue.get(e.id()).orElseThrow().held());
        assertEquals(1L, h.scheduler.summary().heldMessages());
        h.advance(Duration.ofHours(2));
        assertEquals(1, h.agent.requests.size());
        assertEquals(1, h.scheduler.release(QueueSelector.byId(e.id())));
        h.time.settle();
        assertFalse(h.queue.contains(e));
    }

    @Test
    void retryNowSendsADeferredMessageBeforeItsTime() throws Exception {
        Harness h = new Harness().start();
        h.agent.script.put("a.example", new java.util.ArrayList<>(List.of(LATER, Reply.of(250, "2.0.0", "OK"))));
        QueueEntry e = h.submit("s@sender.example", "x@a.example");
        h.advance(Duration.ofSeconds(30));
        assertEquals(1, h.scheduler.retryNow(QueueSelector.byDestination("a.example")));
        h.time.settle();
        assertFalse(h.queue.contains(e));
        assertEquals(List.of(Kind.DEFERRED, Kind.DELIVERED), h.kinds("x@a.example"));
    }

    @Test
    void deleteWithBounceRecordsFailsAndNotifiesOnce() throws Exception {
        Harness h = new Harness().start();
        h.agent.replies = r -> LATER;
        QueueEntry e = h.submit("s@sender.example", "x@a.example", "y@b.example");
        assertEquals(1, h.scheduler.delete(QueueSelector.byId(e.id()), true));
        assertFalse(h.queue.contains(e));
        assertEquals(List.of(Kind.DEFERRED, Kind.BOUNCED), h.kinds("y@b.example"));
        assertEquals(1, h.bounces.calls.size());
        assertEquals(2, h.bounces.calls.get(0).size());
        assertTrue(h.bounces.calls.get(0).stream().allMatch(n -> n.action() == DsnAction.FAILED));
        assertEquals(0, h.scheduler.summary().messages());
    }

    @Test
    void deleteOfAMessageInFlightWaitsForTheOutcome() throws Exception {
        Harness h = new Harness().start();
        h.agent.hang.add("a.example");
        QueueEntry e = h.submit("s@sender.example", "x@a.example");
        assertEquals(1, h.scheduler.delete(QueueSelector.byId(e.id()), true));
        assertTrue(h.queue.contains(e), "not touched while the agent has it");
        h.agent.completeOldest(LATER);
        h.time.settle();
        assertFalse(h.queue.contains(e));
        assertEquals(List.of(Kind.DEFERRED, Kind.BOUNCED), h.kinds("x@a.example"));
        assertEquals(1, h.bounces.calls.size());
    }

    @Test
    void purgeBySenderDomainInOneOperationWithoutBounces() throws Exception {
        Harness h = new Harness().start();
        h.agent.replies = r -> LATER;
        for (int i = 0; i < 3; i++) {
            h.submit("bulk" + i + "@Spam.example", "x" + i + "@a.example");
        }
        QueueEntry good = h.submit("ok@good.example", "y@a.example");
        assertEquals(3, h.scheduler.delete(QueueSelector.bySenderDomain("spam.example"), false));
        assertTrue(h.bounces.calls.isEmpty());
        assertEquals(1, h.scheduler.summary().messages());
        assertTrue(h.queue.contains(good));
        assertEquals(1, h.queue.size());
        assertEquals(3, h.events.stream().filter(ev -> ev.kind() == Kind.BOUNCED).count());
    }

    @Test
    void purgeByDestinationOnlyTouchesThatDestinationsRecipients() throws Exception {
        Harness h = new Harness().start();
        h.agent.replies = r -> LATER;
        QueueEntry e = h.submit("s@sender.example", "x@dead.example", "y@b.example");
        assertEquals(1, h.scheduler.delete(QueueSelector.byDestination("dead.example"), false));
        assertEquals(RecipientStatus.BOUNCED, h.queue.recipient(e, 0).status());
        assertEquals(RecipientStatus.DEFERRED, h.queue.recipient(e, 1).status());
        assertEquals(List.of("b.example"), h.scheduler.search(QueueSelector.byId(e.id()), 0, 1).entries().get(0)
                .destinations());
    }

    @Test
    void pagesOfASearchFollowArrivalThenIdWithoutGapsOrRepeats() throws Exception {
        Harness h = new Harness().start();
        h.agent.replies = r -> LATER;
        for (int i = 0; i < 30; i++) {
            h.submit("s@s.example", "x" + i + "@a.example");
            if (i % 10 == 9) {
                h.advance(Duration.ofSeconds(1));
            }
        }
        List<String> all = h.scheduler.search(QueueSelector.byDestination("a.example"), 0, 1000).entries().stream()
                .map(en -> en.id().value()).toList();
        // ten arrive at each instant: within one, ids order them (as strings: Q1, Q10, Q2 ...)
        List<String> expected = new java.util.ArrayList<>();
        for (int block = 0; block < 3; block++) {
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                ids.add("Q" + (block * 10 + i));
            }
            ids.sort(null);
            expected.addAll(ids);
        }
        assertEquals(expected, all);
        List<String> paged = new java.util.ArrayList<>();
        for (int offset = 0; offset < 30; offset += 7) {
            QueuePage page = h.scheduler.search(QueueSelector.byDestination("a.example"), offset, 7);
            assertEquals(30, page.total());
            page.entries().forEach(en -> paged.add(en.id().value()));
        }
        assertEquals(all, paged);
        assertEquals(List.of(), h.scheduler.search(QueueSelector.byDestination("a.example"), 35, 7).entries());
        assertEquals(0, h.scheduler.search(QueueSelector.byDestination("a.example"), 0, 0).entries().size());
    }

    @Test
    void summarySearchAndShow() throws Exception {
        Harness h = new Harness().start();
        h.agent.replies = r -> LATER;
        for (int i = 0; i < 5; i++) {
            h.submit("sender" + i + "@s.example", "x" + i + "@a.example", "y" + i + "@a.example");
            h.advance(Duration.ofSeconds(1));
        }
        QueueSummary summary = h.scheduler.summary();
        assertEquals(5, summary.messages());
        assertEquals(10L, summary.recipientsByStatus().get(RecipientStatus.DEFERRED));
        assertEquals(0L, summary.recipientsByStatus().get(RecipientStatus.PENDING));
        QueuePage page = h.scheduler.search(QueueSelector.byDestination("a.example"), 4, 2);
        assertEquals(5, page.total());
        assertEquals(List.of("Q5"), page.entries().stream().map(en -> en.id().value()).toList());
        QueuePage bySender = h.scheduler.search(
                new QueueSelector(null, "SENDER3@", null, null, null, null, null, false), 0, 10);
        assertEquals(-1, bySender.total());
        assertEquals(List.of("Q4"), bySender.entries().stream().map(en -> en.id().value()).toList());
        var detail = h.scheduler.show(new dev.sluice.api.mail.QueueId("Q2")).orElseThrow();
        assertEquals("<Q2@test>", detail.headers().get(0).value());
        assertEquals("Subject", detail.headers().get(1).name());
        assertEquals(1, detail.message().recipients().get(0).attempts().size());
        assertTrue(h.scheduler.show(new dev.sluice.api.mail.QueueId("nope")).isEmpty());
    }

    @Test
    void aHeldDestinationIsStoredInTheQueueSoItIsHeldAgainAfterARestart() throws Exception {
        Harness before = new Harness().start();
        before.scheduler.hold(QueueSelector.byDestination("A.example"));
        assertEquals(java.util.Set.of("a.example"), before.queue.storedHeld);
        before.queue.failHeldStore = true;
        assertThrows(dev.sluice.api.queue.QueueException.class,
                () -> before.scheduler.hold(QueueSelector.byDestination("b.example")));
        assertEquals(java.util.Set.of("a.example"), before.scheduler.heldDestinations(), "a failed store holds nothing");

        Harness after = new Harness();
        after.queue.storedHeld = before.queue.storedHeld; // the spool as the restarted scheduler finds it
        QueueEntry kept = after.queue.add("s@sender.example", "x@a.example");
        after.start();
        QueueEntry fresh = after.submit("s@sender.example", "y@a.example", "z@b.example");
        after.advance(Duration.ofHours(1));
        assertEquals(java.util.Set.of("a.example"), after.scheduler.heldDestinations());
        assertEquals(List.of("b.example"), after.agent.requests.stream().map(r -> r.envelope().recipients().get(0).address()
                .asciiDomain()).toList(), "only b.example went out");
        assertEquals(2, after.scheduler.release(QueueSelector.byDestination("a.example")));
        assertEquals(java.util.Set.of(), after.queue.storedHeld);
        after.time.settle();
        assertFalse(after.queue.contains(kept) || after.queue.contains(fresh));
    }
}
