package dev.sluice.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.event.DeliveryEvent.Kind;
import dev.sluice.api.filter.FilterProperties;
import dev.sluice.api.filter.PreDeliveryFilter;
import dev.sluice.api.filter.Verdict;
import dev.sluice.api.mail.HeaderField;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.queue.QueueEntry;
import dev.sluice.api.queue.RecipientStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AgentAndFilterTest {

    @Test
    void agentRemovedMidFlightLeavesRecipientsDeferredAndTheyResumeWithTheNextAgent() {
        Harness h = new Harness().start();
        h.agent.hang.add("a.example");
        QueueEntry e = h.submit("s@sender.example", "r1@a.example", "r2@a.example");
        assertEquals(1, h.agent.pending.size());
        h.scheduler.unbindAgent(h.agent);
        h.time.settle();
        for (int i = 0; i < 2; i++) {
            assertEquals(RecipientStatus.DEFERRED, h.queue.recipient(e, i).status());
            assertEquals(Dispatcher.AGENT_GONE, h.queue.recipient(e, i).attempts().get(0).reply());
        }
        h.advance(Duration.ofMinutes(30));
        assertTrue(h.queue.contains(e), "nothing is dropped while no agent is there");
        Fakes.FakeAgent next = new Fakes.FakeAgent();
        h.scheduler.bindAgent(next);
        h.time.settle();
        assertEquals(1, next.requests.size());
        assertEquals(2, next.requests.get(0).attempt());
        assertFalse(h.queue.contains(e));
        // the old agent answering late changes nothing
        h.agent.completeOldest(Reply.of(250, "2.0.0", "OK"));
        h.time.settle();
        assertEquals(List.of(Kind.DEFERRED, Kind.DELIVERED), h.kinds("r1@a.example"));
    }

    @Test
    void rejectBouncesTempFailDefersDiscardDrops() {
        Harness h = new Harness().start();
        h.scheduler.addFilter(req -> done(switch (req.envelope().recipients().get(0).address().domain()) {
            case "reject.example" -> Verdict.reject(550, "5.7.1", "Policy");
            case "temp.example" -> Verdict.tempFail(451, "4.7.1", "Not now");
            case "drop.example" -> Verdict.DISCARD;
            default -> Verdict.CONTINUE;
        }), Map.of(FilterProperties.NAME, "policy"));
        QueueEntry rejected = h.submit("s@sender.example", "x@reject.example");
        QueueEntry deferred = h.submit("s@sender.example", "x@temp.example");
        QueueEntry dropped = h.submit("s@sender.example", "x@drop.example");
        h.submit("s@sender.example", "x@fine.example");
        assertEquals(List.of(Kind.BOUNCED), h.kinds("x@reject.example"));
        assertEquals(1, h.bounces.calls.size());
        assertEquals(RecipientStatus.DEFERRED, h.queue.recipient(deferred, 0).status());
        assertEquals(List.of(Kind.DELIVERED), h.kinds("x@drop.example"));
        assertTrue(h.events.stream().anyMatch(ev -> ev.reply().text().contains("Discarded by filter policy")));
        assertFalse(h.queue.contains(rejected) || h.queue.contains(dropped));
        assertEquals(1, h.agent.requests.size(), "only the message the filter let through was sent");
    }

    @Test
    void headerChangesReachTheAgentInRankingOrderWithoutChangingTheQueuedCopy() throws Exception {
        Harness h = new Harness().start();
        List<List<HeaderField>> seenByLow = new ArrayList<>();
        h.scheduler.addFilter(req -> {
            seenByLow.add(req.headers());
            return done(new Verdict.ModifyHeaders(List.of(new dev.sluice.api.filter.HeaderChange.Set(
                    new HeaderField("Subject", "changed")))));
        }, Map.of("service.ranking", 1, "service.id", 11L));
        h.scheduler.addFilter(req -> done(Verdict.addHeader("DKIM-Signature", "v=1; d=sender.example")),
                Map.of("service.ranking", 10, "service.id", 12L));
        QueueEntry e = h.queue.add("s@sender.example", "r@a.example");
        String stored = read(h.queue.content(e.id()).openStream());
        h.scheduler.queued(e);
        h.time.settle();
        assertEquals("DKIM-Signature", seenByLow.get(0).get(0).name(), "the higher ranked filter ran first");
        var content = h.agent.requests.get(0).content();
        String sent = read(content.openStream());
        assertTrue(sent.startsWith("DKIM-Signature: v=1; d=sender.example\r\nMessage-ID: <Q1@test>\r\n"
                + "Subject: changed\r\n\r\nbody of Q1"), sent);
        assertEquals(sent.getBytes(StandardCharsets.US_ASCII).length, content.size());
        assertTrue(stored.contains("Subject: hello"));
    }

    @Test
    void aFilterThatTimesOutDefersByDefaultAndIsSkippedWhenFailOpen() {
        Harness closed = new Harness().start();
        closed.scheduler.addFilter(req -> new CompletableFuture<>(), Map.of(FilterProperties.TIMEOUT_MILLIS, "100"));
        QueueEntry e = closed.submit("s@sender.example", "r@a.example");
        assertTrue(closed.agent.requests.isEmpty());
        closed.advance(Duration.ofMillis(100));
        assertEquals(RecipientStatus.DEFERRED, closed.queue.recipient(e, 0).status());
        assertEquals("4.3.0", closed.queue.recipient(e, 0).attempts().get(0).reply().enhancedStatus());

        Harness open = new Harness().start();
        open.scheduler.addFilter(req -> new CompletableFuture<>(), Map.of(FilterProperties.TIMEOUT_MILLIS, 100,
                FilterProperties.FAILURE_MODE, FilterProperties.FAIL_OPEN));
        PreDeliveryFilter throwing = req -> {
            throw new IllegalStateException("bug");
        };
        open.scheduler.addFilter(throwing, Map.of(FilterProperties.FAILURE_MODE, FilterProperties.FAIL_OPEN));
        open.submit("s@sender.example", "r@a.example");
        open.advance(Duration.ofMillis(100));
        assertEquals(List.of(Kind.DELIVERED), open.kinds("r@a.example"));
    }

    private static CompletableFuture<Verdict> done(Verdict v) {
        return CompletableFuture.completedFuture(v);
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
