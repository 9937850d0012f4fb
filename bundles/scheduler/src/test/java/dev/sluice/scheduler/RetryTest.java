package dev.sluice.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.delivery.BounceCategory;
import dev.sluice.api.delivery.DsnAction;
import dev.sluice.api.delivery.RecipientNotice;
import dev.sluice.api.event.DeliveryEvent;
import dev.sluice.api.event.DeliveryEvent.Kind;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.queue.QueueEntry;
import dev.sluice.api.queue.RecipientStatus;
import dev.sluice.api.routing.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryTest {

    private static final Reply LATER = Reply.of(451, "4.7.1", "Try again later");

    @Test
    void twoDeferralsThenDeliveryRecordsExactlyThreeAttempts() {
        Harness h = new Harness().start();
        h.agent.script.put("a.example", new ArrayList<>(List.of(LATER, LATER, Reply.of(250, "2.0.0", "OK"))));
        QueueEntry e = h.submit("s@sender.example", "r@a.example");
        assertEquals(RecipientStatus.DEFERRED, h.queue.recipient(e, 0).status());
        assertEquals(h.time.now().plusSeconds(300), h.queue.recipient(e, 0).nextAttempt());
        h.advance(Duration.ofSeconds(299));
        assertEquals(1, h.agent.requests.size(), "not before the first retry time");
        h.advance(Duration.ofSeconds(1));
        assertEquals(2, h.agent.requests.size());
        assertEquals(2, h.queue.recipient(e, 0).attempts().size());
        h.advance(Duration.ofSeconds(600));
        assertEquals(List.of(Kind.DEFERRED, Kind.DEFERRED, Kind.DELIVERED), h.kinds("r@a.example"));
        assertEquals(List.of(1, 2, 3), h.agent.requests.stream().map(r -> r.attempt()).toList());
        assertEquals(3, h.queue.log.size(), h.queue.log.toString());
        assertFalse(h.queue.contains(e));
        h.advance(Duration.ofHours(2));
        assertEquals(3, h.agent.requests.size(), "nothing after delivery");
    }

    @Test
    void deferredUntilLifetimeExpiresAndOneDsnCoversAllFailedRecipients() {
        Harness h = new Harness("maxLifetimeHours", 1.0, "delayWarningHours", 0).start();
        h.agent.replies = r -> LATER;
        QueueEntry e = h.submit("s@sender.example", "r1@a.example", "r2@a.example", "r3@b.example");
        h.advance(Duration.ofMinutes(59));
        assertTrue(h.bounces.calls.isEmpty());
        assertTrue(h.queue.contains(e));
        h.advance(Duration.ofMinutes(2));
        assertFalse(h.queue.contains(e));
        assertEquals(1, h.bounces.calls.size());
        List<RecipientNotice> notices = h.bounces.calls.get(0);
        assertEquals(List.of("r1@a.example", "r2@a.example", "r3@b.example"),
                notices.stream().map(n -> n.recipient().address().toString()).sorted().toList());
        assertTrue(notices.stream().allMatch(n -> n.action() == DsnAction.FAILED
                && "4.4.7".equals(n.reply().enhancedStatus())));
        List<Kind> kinds = h.kinds("r3@b.example");
        assertEquals(Kind.EXPIRED, kinds.get(kinds.size() - 1));
        // 0, 5, 15, 35 min, then the last try at the 60 min expiry
        assertEquals(5, kinds.size());
    }

    @Test
    void permanentFailureBouncesAtOnceWithClassification() {
        Harness h = new Harness().start();
        h.scheduler.bindClassifier(reply -> BounceCategory.BAD_MAILBOX);
        h.queue.log.clear();
        h.events.clear();
        h.scheduler.addListener(ev -> h.queue.log.add("event " + ev.kind()), Map.of("service.id", 2L));
        h.agent.script.put("a.example", new ArrayList<>(List.of(Reply.of(550, "5.1.1", "No such user"))));
        QueueEntry e = h.submit("s@sender.example", "gone@a.example");
        assertFalse(h.queue.contains(e));
        DeliveryEvent bounced = h.events.get(0);
        assertEquals(Kind.BOUNCED, bounced.kind());
        assertEquals("bad-mailbox", bounced.classification());
        assertEquals("mx.test", bounced.remoteHost());
        assertEquals("127.0.0.1", bounced.remoteIp());
        assertEquals(1, h.bounces.calls.size());
        // the DSN while the original is queued, then the final state, then the log
        assertEquals(List.of("dsn Q1 original queued", "update Q1 gone@a.example BOUNCED", "event BOUNCED"),
                h.queue.log);
    }

    @Test
    void permanentRoutingFailureBouncesWithoutDelivery() {
        Harness h = new Harness().start();
        h.router.routes.put("nomx.example", new Route.Failure(Reply.of(556, "5.1.10", "Null MX")));
        QueueEntry e = h.submit("s@sender.example", "x@nomx.example", "y@ok.example");
        assertFalse(h.queue.contains(e));
        assertEquals(1, h.agent.requests.size());
        assertEquals(List.of(Kind.BOUNCED), h.kinds("x@nomx.example"));
        assertEquals(List.of(Kind.DELIVERED), h.kinds("y@ok.example"));
        assertEquals("5.1.10", h.bounces.calls.get(0).get(0).reply().enhancedStatus());
    }

    @Test
    void temporaryRoutingFailureDefersAndRetries() {
        Harness h = new Harness("routeCacheSeconds", 60).start();
        h.router.routes.put("flaky.example", new Route.Failure(Reply.of(451, "4.4.3", "SERVFAIL")));
        QueueEntry e = h.submit("s@sender.example", "x@flaky.example");
        assertEquals(RecipientStatus.DEFERRED, h.queue.recipient(e, 0).status());
        assertEquals("dns", h.queue.recipient(e, 0).attempts().get(0).remoteHost());
        assertTrue(h.agent.requests.isEmpty());
        h.router.routes.remove("flaky.example");
        h.advance(Duration.ofMinutes(5));
        assertFalse(h.queue.contains(e));
        assertEquals(List.of(Kind.DEFERRED, Kind.DELIVERED), h.kinds("x@flaky.example"));
    }

    @Test
    void delayWarningIsSentOnce() {
        Harness h = new Harness("delayWarningHours", 1).start();
        h.agent.replies = r -> LATER;
        QueueEntry e = h.submit("s@sender.example", "slow@a.example");
        h.advance(Duration.ofMinutes(74));
        assertTrue(h.bounces.calls.isEmpty(), "deferrals at 0, 5, 15, 35 min are before the warning time");
        h.advance(Duration.ofHours(6));
        assertEquals(1, h.bounces.calls.size(), h.bounces.calls.toString());
        assertEquals(DsnAction.DELAYED, h.bounces.calls.get(0).get(0).action());
        assertEquals(1, h.kinds("slow@a.example").stream().filter(k -> k == Kind.DELAY_NOTIFIED).count());
        assertTrue(h.queue.contains(e));
    }

    @Test
    void anOutcomeTheQueueCannotRecordIsNotPublishedAndTheMessageIsTriedAgain() {
        Harness h = new Harness("storageRetrySeconds", 30).start();
        h.queue.failUpdates = 1;
        QueueEntry e = h.submit("s@sender.example", "r@a.example");
        assertEquals(1, h.agent.requests.size());
        assertTrue(h.events.isEmpty(), "nothing is told before the queue has it");
        assertEquals(RecipientStatus.PENDING, h.queue.recipient(e, 0).status());
        h.advance(Duration.ofSeconds(29));
        assertEquals(1, h.agent.requests.size(), "no busy retry");
        h.advance(Duration.ofSeconds(1));
        assertEquals(2, h.agent.requests.size());
        assertEquals(List.of(Kind.DELIVERED), h.kinds("r@a.example"));
        assertFalse(h.queue.contains(e));
    }

    @Test
    void backoffGrowsAndIsCapped() {
        RetryPolicy p = new RetryPolicy(Duration.ofMinutes(5), 2.0, Duration.ofHours(1), Duration.ofDays(5),
                Duration.ofHours(4));
        assertEquals(List.of(5L, 10L, 20L, 40L, 60L, 60L), java.util.stream.IntStream.rangeClosed(1, 6)
                .mapToObj(p::backoff).map(Duration::toMinutes).toList());
    }

    @Test
    void theDefaultsAreThePeersOnesFirstRetryInMinutesHourlyCapFiveDaysAndADelayWarning() {
        assertEquals(new RetryPolicy(Duration.ofMinutes(5), 2.0, Duration.ofHours(1), Duration.ofDays(5),
                Duration.ofHours(4)), Settings.from(Harness.config(Map.of())).retry());
        Harness h = new Harness().start();
        h.agent.replies = r -> LATER;
        java.time.Instant queuedAt = h.time.now();
        QueueEntry e = h.submit("s@sender.example", "slow@a.example");
        h.advance(Duration.ofDays(5).minusMinutes(1));
        assertTrue(h.queue.contains(e), "still queued just before five days");
        // tries at 0, 5, 15, 35, 75 min, then hourly: never more than an hour apart
        List<java.time.Instant> tries = new ArrayList<>();
        h.events.stream().filter(ev -> ev.kind() == Kind.DEFERRED).forEach(ev -> tries.add(ev.at()));
        assertEquals(List.of(0L, 5L, 15L, 35L, 75L, 135L), tries.subList(0, 6).stream()
                .map(t -> Duration.between(queuedAt, t).toMinutes()).toList());
        for (int i = 6; i < tries.size(); i++) {
            assertEquals(Duration.ofHours(1), Duration.between(tries.get(i - 1), tries.get(i)));
        }
        assertEquals(1, h.bounces.calls.size(), "one delay warning, nothing else yet");
        assertEquals(DsnAction.DELAYED, h.bounces.calls.get(0).get(0).action());
        h.advance(Duration.ofMinutes(2));
        assertFalse(h.queue.contains(e), "expired at five days");
        assertEquals(2, h.bounces.calls.size());
        assertEquals(DsnAction.FAILED, h.bounces.calls.get(1).get(0).action());
        assertEquals("4.4.7", h.bounces.calls.get(1).get(0).reply().enhancedStatus());
    }
}
