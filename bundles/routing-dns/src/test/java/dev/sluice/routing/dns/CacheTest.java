package dev.sluice.routing.dns;

import dev.sluice.testing.dns.TestDnsServer;
import dev.sluice.testing.dns.TestZones;
import static dev.sluice.routing.dns.TestSupport.assertFailure;
import static dev.sluice.routing.dns.TestSupport.hops;
import static dev.sluice.routing.dns.TestSupport.route;
import static dev.sluice.routing.dns.TestSupport.routerConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.routing.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** TTLs, negative caching, failure caching, the size bound and merged concurrent lookups. */
class CacheTest {

    private TestDnsServer dns;
    private final TestSupport.TestClock clock = new TestSupport.TestClock();
    private DnsRouter router;

    @BeforeEach
    void startDns() throws Exception {
        dns = new TestDnsServer();
    }

    @AfterEach
    void stop() throws Exception {
        if (router != null) {
            router.deactivate();
        }
        dns.close();
    }

    private DnsRouter router(Object... config) {
        router = new DnsRouter(routerConfig(dns, config), clock, bound -> 0);
        return router;
    }

    @Test
    void answersAreCachedForTheirTtl() throws Exception {
        router();
        hops(route(router, "example.test"));
        hops(route(router, "example.test"));
        assertEquals(1, dns.count("example.test.", Type.MX));
        assertEquals(1, dns.count("mx1.example.test.", Type.A));
        clock.advanceSeconds(TestZones.TTL - 1);
        hops(route(router, "example.test"));
        assertEquals(1, dns.count("example.test.", Type.MX));
        clock.advanceSeconds(2);
        hops(route(router, "example.test"));
        assertEquals(2, dns.count("example.test.", Type.MX));
        assertEquals(2, dns.count("mx1.example.test.", Type.A));
    }

    @Test
    void ttlIsCappedByConfiguration() throws Exception {
        router("cacheMaxTtlSeconds", 100);
        hops(route(router, "example.test"));
        clock.advanceSeconds(101);
        hops(route(router, "example.test"));
        assertEquals(2, dns.count("example.test.", Type.MX));
    }

    @Test
    void nxdomainIsCachedForTheSoaMinimum() throws Exception {
        router();
        assertFailure(route(router, "nowhere.test"), 550, "5.1.2");
        assertFailure(route(router, "nowhere.test"), 550, "5.1.2");
        assertEquals(1, dns.count("nowhere.test.", Type.MX));
        clock.advanceSeconds(TestZones.NEGATIVE_TTL + 1);
        assertFailure(route(router, "nowhere.test"), 550, "5.1.2");
        assertEquals(2, dns.count("nowhere.test.", Type.MX));
    }

    @Test
    void negativeTtlIsCappedByConfiguration() throws Exception {
        router("negativeCacheMaxTtlSeconds", 10);
        route(router, "nomx.test");
        route(router, "nomx.test");
        assertEquals(1, dns.count("nomx.test.", Type.MX), "the no-MX answer is a cached NODATA");
        clock.advanceSeconds(11);
        route(router, "nomx.test");
        assertEquals(2, dns.count("nomx.test.", Type.MX));
    }

    @Test
    void serverFailuresAreRememberedBriefly() throws Exception {
        router("failureCacheSeconds", 30);
        assertFailure(route(router, "servfail.test"), 451, "4.4.3");
        assertFailure(route(router, "servfail.test"), 451, "4.4.3");
        assertEquals(1, dns.count("servfail.test.", Type.MX));
        clock.advanceSeconds(31);
        assertFailure(route(router, "servfail.test"), 451, "4.4.3");
        assertEquals(2, dns.count("servfail.test.", Type.MX));
    }

    @Test
    void failureCacheCanBeDisabled() throws Exception {
        router("failureCacheSeconds", 0);
        route(router, "servfail.test");
        route(router, "servfail.test");
        assertEquals(2, dns.count("servfail.test.", Type.MX));
    }

    @Test
    void cacheSizeIsBounded() throws Exception {
        router("cacheMaxEntries", 3);
        for (String d : List.of("nomx.test", "example.test", "fallback.test", "many.test", "nowhere.test")) {
            route(router, d);
            assertTrue(router.cacheSize() <= 3, "cache holds " + router.cacheSize());
        }
        route(router, "nomx.test");
        assertEquals(2, dns.count("nomx.test.", Type.MX), "the oldest entries were evicted");
    }

    @Test
    void cacheCanBeDisabled() throws Exception {
        router("cacheMaxEntries", 0);
        route(router, "example.test");
        route(router, "example.test");
        assertEquals(2, dns.count("example.test.", Type.MX));
        assertEquals(0, router.cacheSize());
    }

    @Test
    void concurrentLookupsOfOneNameShareOneQuery() throws Exception {
        router("timeoutMillis", 3000, "failureCacheSeconds", 0);
        List<CompletableFuture<Route>> routes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            routes.add(router.route("timeout.test").toCompletableFuture());
        }
        for (CompletableFuture<Route> r : routes) {
            assertFailure(r.get(10, TimeUnit.SECONDS), 451, "4.4.3");
        }
        assertEquals(1, dns.count("timeout.test.", Type.MX));
    }
}
