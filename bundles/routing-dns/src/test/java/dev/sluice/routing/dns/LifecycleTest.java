package dev.sluice.routing.dns;

import dev.sluice.testing.dns.TestDnsServer;
import static dev.sluice.routing.dns.TestSupport.assertFailure;
import static dev.sluice.routing.dns.TestSupport.routerConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.routing.Route;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Deactivation stops every thread (ours and dnsjava's) and never leaves a caller waiting. */
class LifecycleTest {

    private static TestDnsServer dns;

    @BeforeAll
    static void startDns() throws Exception {
        dns = new TestDnsServer();
    }

    @AfterAll
    static void stopDns() throws Exception {
        dns.close();
    }

    @Test
    void deactivateStopsDnsjavaAndRouterThreads() throws Exception {
        DnsRouter router = new DnsRouter(routerConfig(dns), Clock.systemUTC(), bound -> 0);
        TestSupport.hops(TestSupport.route(router, "example.test"));
        assertFalse(threads("dnsjava").isEmpty(), "the lookup should have started dnsjava's selector");
        router.deactivate();
        awaitGone("dnsjava");
        awaitGone("sluice-routing-dns");
        assertEquals(List.of(), threads("dnsjava"));
        assertEquals(List.of(), threads("sluice-routing-dns"));
    }

    @Test
    void pendingRoutesAreDeferredOnDeactivate() throws Exception {
        DnsRouter router = new DnsRouter(routerConfig(dns, "timeoutMillis", 60_000), Clock.systemUTC(), bound -> 0);
        CompletableFuture<Route> pending = router.route("timeout.test").toCompletableFuture();
        assertFalse(pending.isDone());
        router.deactivate();
        assertFailure(pending.get(5, TimeUnit.SECONDS), 451, "4.3.0");
        assertFailure(TestSupport.route(router, "example.test"), 451, "4.3.0");
    }

    @Test
    void routerWorksAgainAfterAnotherInstanceClosedDnsjava() throws Exception {
        DnsRouter first = new DnsRouter(routerConfig(dns), Clock.systemUTC(), bound -> 0);
        TestSupport.route(first, "example.test");
        first.deactivate();
        DnsRouter second = new DnsRouter(routerConfig(dns), Clock.systemUTC(), bound -> 0);
        try {
            assertTrue(TestSupport.route(second, "nomx.test") instanceof Route.Hops);
        } finally {
            second.deactivate();
        }
    }

    /** Joins with a deadline: a thread may still be unwinding right after close() returned. */
    private static void awaitGone(String prefix) throws InterruptedException {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix)) {
                t.join(5000);
            }
        }
    }

    private static List<String> threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).map(Thread::getName).toList();
    }
}
