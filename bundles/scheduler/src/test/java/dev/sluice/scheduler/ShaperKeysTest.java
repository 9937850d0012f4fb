package dev.sluice.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.delivery.DeliveryRequest;
import dev.sluice.api.event.DeliveryEvent;
import dev.sluice.api.event.DeliveryEvent.Kind;
import dev.sluice.api.filter.FilterProperties;
import dev.sluice.api.filter.Verdict;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.queue.TenantWait;
import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.testing.metrics.RecordingMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** What the scheduler tells the shaper: the tenant key of a message, and how many deliveries a path has under way. */
class ShaperKeysTest {

    private static final Reply OK = Reply.of(250, "2.0.0", "OK");

    @Test
    void theTenantKeyFromAHeaderReachesTheShaperWithOneReadOfTheHeader() {
        Harness h = new Harness().start();
        h.shaper.tenantHeader = "X-Tenant";
        h.shaper.maxRecipients = 1; // two batches of one message: one read of its header for both
        h.scheduler.addFilter(req -> CompletableFuture.completedFuture(Verdict.CONTINUE),
                Map.of(FilterProperties.NAME, "pass"));
        h.queue.extraHeaders = "X-Tenant: acme\r\n";
        h.submit("s@sender.example", "a@a.example", "b@a.example");

        assertEquals(List.of("default->mx.a.example [acme] 0", "default->mx.a.example [acme] 1"), h.shaper.asked);
        assertEquals(1, h.queue.reads.get(), "the tenant key, the filter and the Message-ID share one read");
        for (DeliveryRequest r : h.agent.requests) {
            assertEquals(new PathKey("mx.a.example", "default"), r.path(), "delivery knows the path, not the tenant");
        }
        assertTrue(h.events.stream().filter(e -> e.kind() == Kind.DELIVERED).map(DeliveryEvent::messageId)
                .allMatch(id -> id.startsWith("<Q1@")));
    }

    @Test
    void noHeaderIsReadWhenNobodyNeedsIt() {
        Harness h = new Harness();
        h.scheduler.bindQueue(h.queue);
        h.scheduler.bindRouter(h.router);
        h.scheduler.bindShaper(h.shaper);
        h.scheduler.bindBounces(h.bounces);
        h.scheduler.bindAgent(h.agent);
        h.submit("s@sender.example", "a@a.example");
        assertEquals(1, h.agent.requests.size());
        assertEquals(0, h.queue.reads.get(), "no tenant header, no filter, no listener: the agent reads the content");
    }

    @Test
    void aTenantOutOfBudgetDoesNotHoldBackTheOtherTenantsOfTheDestination() {
        Harness h = new Harness().start();
        RecordingMetrics metrics = new RecordingMetrics();
        h.scheduler.bindMetrics(metrics);
        h.shaper.tenantHeader = "X-Tenant";
        h.shaper.tenantTokens.put("acme", 1);
        h.queue.extraHeaders = "X-Tenant: acme\r\n";
        for (int i = 1; i <= 3; i++) {
            h.submit("s@sender.example", "a" + i + "@a.example");
        }
        h.queue.extraHeaders = "X-Tenant: bob\r\n";
        for (int i = 1; i <= 2; i++) {
            h.submit("s@sender.example", "b" + i + "@a.example");
        }
        assertEquals(List.of("a1@a.example", "b1@a.example", "b2@a.example"), delivered(h),
                "acme's second and third wait for acme's budget, bob's go past them");
        assertEquals(List.of(new TenantWait("acme", "mx.a.example", 2)), h.scheduler.tenantWaits(),
                "operators see what waits aside");
        assertEquals(2, metrics.get(TenantDeferrals.NAME, "tenant", "acme", "site", "mx.a.example").size());

        h.shaper.tenantTokens.put("acme", 5);
        h.advance(Duration.ofSeconds(1)); // the shaper's next opportunity for acme
        assertEquals(List.of("a1@a.example", "b1@a.example", "b2@a.example", "a2@a.example", "a3@a.example"),
                delivered(h), "then acme's, in their order");
        assertEquals(List.of(), h.scheduler.tenantWaits());
    }

    private static List<String> delivered(Harness h) {
        return h.agent.requests.stream().map(r -> r.envelope().recipients().get(0).address().toString()).toList();
    }

    @Test
    void aMessageThatWouldWaitForAConnectionTakesNoTokenAndGoesWhenADeliveryEnds() {
        Harness h = new Harness().start();
        h.shaper.connections = 1;
        h.shaper.nextIn = Duration.ofHours(1); // only the end of a delivery can wake the path up in time
        h.agent.hang.add("a.example");
        h.submit("s@sender.example", "a@a.example");
        h.submit("s@sender.example", "b@a.example");

        assertEquals(1, h.agent.requests.size(), "one connection, busy with the first message");
        assertEquals(List.of("default->mx.a.example 0", "default->mx.a.example 1"), h.shaper.asked,
                "the second was refused for want of a connection (and took no token)");
        assertTrue(h.agent.completeOldest(OK));
        h.time.settle();
        assertEquals(2, h.agent.requests.size(), "the connection is free again: the second goes at once");
    }
}
