package dev.sluice.routing.dns;

import static dev.sluice.routing.dns.TestSupport.routerConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.routing.Route;
import dev.sluice.testing.dns.TestDnsServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A router that has just started waits for the static routes ConfigurationAdmin holds before it answers, so a
 * domain they take is never looked up in DNS (and bounced as NXDOMAIN) in the moment before they bind.
 */
class StaticRoutesGateTest {

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
    void routesWaitUntilTheConfiguredStaticRoutesAreBound() throws Exception {
        DnsRouter router = new DnsRouter(routerConfig(dns), Clock.systemUTC(), bound -> 0, Set.of("pid-all"),
                Duration.ofSeconds(30));
        try {
            CompletableFuture<Route> held = router.route("unknown.test").toCompletableFuture();
            assertFalse(held.isDone(), "answered before the static routes were bound: " + held.getNow(null));
            router.staticRoutes = List.of(StaticRouteTest.staticRoute("all", new String[] {"*"},
                    new String[] {"192.0.2.20"}));
            Route route = held.get(5, TimeUnit.SECONDS);
            assertTrue(route instanceof Route.Hops, route.toString());
            assertEquals("route:all", ((Route.Hops) route).site());
        } finally {
            router.deactivate();
        }
    }

    @Test
    void aStaticRouteThatNeverBindsHoldsRoutingOnlyForItsPatience() throws Exception {
        DnsRouter router = new DnsRouter(routerConfig(dns), Clock.systemUTC(), bound -> 0, Set.of("pid-broken"),
                Duration.ofMillis(300));
        try {
            long start = System.nanoTime();
            Route route = router.route("unknown.test").toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300));
            assertTrue(route instanceof Route.Failure, "looked up in DNS after the wait: " + route);
        } finally {
            router.deactivate();
        }
    }

    @Test
    void aRouterStoppedWhileHoldingAnswersTemporarily() throws Exception {
        DnsRouter router = new DnsRouter(routerConfig(dns), Clock.systemUTC(), bound -> 0, Set.of("pid-late"),
                Duration.ofSeconds(30));
        CompletableFuture<Route> held = router.route("unknown.test").toCompletableFuture();
        router.deactivate();
        Route route = held.get(5, TimeUnit.SECONDS);
        assertTrue(route instanceof Route.Failure f && f.reply().code() == 451, route.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("sluice-routing-dns-gate"))) {
            assertTrue(System.nanoTime() < deadline, "the gate's thread kept running");
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }
    }
}
