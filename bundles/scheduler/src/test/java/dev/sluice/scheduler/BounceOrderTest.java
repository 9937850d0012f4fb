package dev.sluice.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.event.DeliveryEvent;
import dev.sluice.api.event.DeliveryEvent.Kind;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.queue.QueueEntry;
import dev.sluice.api.queue.RecipientStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The DSN is queued before failed recipients are recorded as final, so it is never lost and can quote the original. */
class BounceOrderTest {

    private static final Reply UNKNOWN = Reply.of(550, "5.1.1", "No such user");

    @Test
    void oneRejectedOfThreeGetsItsDsnWhileTheOriginalIsStillQueuedThenItsFinalState() {
        Harness h = new Harness().start();
        h.agent.byRecipient.put("r2@a.example", UNKNOWN);
        QueueEntry e = h.submit("s@sender.example", "r1@a.example", "r2@a.example", "r3@a.example");
        assertEquals(List.of("update Q1 r1@a.example DELIVERED", "update Q1 r3@a.example DELIVERED",
                "dsn Q1 original queued", "update Q1 r2@a.example BOUNCED"), h.queue.log);
        assertFalse(h.queue.contains(e));
        assertEquals(1, h.bounces.calls.size());
        assertEquals(List.of("r2@a.example"), h.bounces.calls.get(0).stream()
                .map(n -> n.recipient().address().toString()).toList());
        assertEquals(List.of(Kind.DELIVERED), h.kinds("r1@a.example"));
        assertEquals(List.of(Kind.BOUNCED), h.kinds("r2@a.example"));
    }

    @Test
    void failuresOfSeveralDestinationsShareOneDsnSentBeforeAnyOfThemIsFinal() {
        Harness h = new Harness().start();
        h.agent.byRecipient.put("x@a.example", UNKNOWN);
        h.agent.byRecipient.put("y@b.example", UNKNOWN);
        h.submit("s@sender.example", "x@a.example", "y@b.example", "z@c.example");
        assertEquals(1, h.bounces.calls.size());
        assertEquals(2, h.bounces.calls.get(0).size());
        int dsn = h.queue.log.indexOf("dsn Q1 original queued");
        assertTrue(dsn >= 0, h.queue.log.toString());
        assertTrue(h.queue.log.subList(0, dsn).stream().noneMatch(l -> l.endsWith("BOUNCED")), h.queue.log.toString());
    }

    @Test
    void aCrashBetweenDsnAndFinalStateRepeatsTheDsnInsteadOfLosingIt() {
        Harness h = new Harness("storageRetrySeconds", 30).start();
        h.agent.byRecipient.put("r@a.example", UNKNOWN);
        h.queue.failUpdates = 1; // the final state is not written, as if the process died after the DSN
        QueueEntry e = h.submit("s@sender.example", "r@a.example");
        assertEquals(1, h.bounces.calls.size());
        assertEquals(RecipientStatus.PENDING, h.queue.recipient(e, 0).status());
        assertTrue(h.events.isEmpty(), "nothing published before the final state is stored");
        h.advance(Duration.ofSeconds(29));
        assertEquals(1, h.agent.requests.size(), "no busy retry while storage fails");
        h.advance(Duration.ofSeconds(1));
        assertFalse(h.queue.contains(e));
        assertEquals(2, h.bounces.calls.size(), "the DSN is sent again: duplicated, never lost");
        assertEquals(List.of(Kind.BOUNCED), h.kinds("r@a.example"));
    }

    @Test
    void aDsnThatCannotBeQueuedKeepsTheRecipientUntilItCanBe() {
        Harness h = new Harness("storageRetrySeconds", 30).start();
        h.agent.byRecipient.put("r@a.example", UNKNOWN);
        h.agent.byRecipient.put("ok@a.example", Reply.of(250, "2.0.0", "OK"));
        h.bounces.failCalls = 1;
        QueueEntry e = h.submit("s@sender.example", "ok@a.example", "r@a.example");
        assertTrue(h.queue.contains(e));
        assertEquals(RecipientStatus.DELIVERED, h.queue.recipient(e, 0).status());
        assertEquals(RecipientStatus.PENDING, h.queue.recipient(e, 1).status());
        assertTrue(h.kinds("r@a.example").isEmpty());
        h.advance(Duration.ofSeconds(30));
        assertFalse(h.queue.contains(e));
        assertEquals(1, h.bounces.calls.size());
        assertEquals(List.of(Kind.BOUNCED), h.kinds("r@a.example"));
        assertEquals(List.of(Kind.DELIVERED), h.kinds("ok@a.example"), "the delivered one is not sent again");
        assertEquals(2, h.agent.requests.size());
    }

    @Test
    void eventsCarryTheMessageId() {
        Harness h = new Harness().start();
        h.agent.byRecipient.put("r2@a.example", UNKNOWN);
        h.submit("s@sender.example", "r1@a.example", "r2@a.example");
        assertEquals(List.of("<Q1@test>", "<Q1@test>"), h.events.stream().map(DeliveryEvent::messageId).toList());
    }
}
