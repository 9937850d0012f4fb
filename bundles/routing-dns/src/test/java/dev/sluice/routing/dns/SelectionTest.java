package dev.sluice.routing.dns;

import dev.sluice.testing.dns.TestDnsServer;
import static dev.sluice.routing.dns.TestSupport.assertFailure;
import static dev.sluice.routing.dns.TestSupport.describe;
import static dev.sluice.routing.dns.TestSupport.hops;
import static dev.sluice.routing.dns.TestSupport.route;
import static dev.sluice.routing.dns.TestSupport.routerConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.routing.NextHop;
import dev.sluice.api.routing.Route;
import java.net.InetAddress;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** Equal-preference shuffling, the MX host limit, address literals and internationalised domains. */
class SelectionTest {

    private static TestDnsServer dns;
    private DnsRouter router;

    @BeforeAll
    static void startDns() throws Exception {
        dns = new TestDnsServer();
    }

    @AfterAll
    static void stopDns() throws Exception {
        dns.close();
    }

    @AfterEach
    void stopRouter() {
        if (router != null) {
            router.deactivate();
        }
    }

    private DnsRouter router(IntUnaryOperator random, Object... config) {
        router = new DnsRouter(routerConfig(dns, config), Clock.systemUTC(), random);
        return router;
    }

    private static List<String> hosts(Route route) {
        return hops(route).hops().stream().map(NextHop::host).toList();
    }

    @Test
    void equalPreferencesAreShuffledByTheInjectedRandom() throws Exception {
        router(bound -> bound - 1);
        assertEquals(List.of("first.equal.test", "a.equal.test", "b.equal.test", "c.equal.test"),
                hosts(route(router, "equal.test")));
        router.deactivate();
        router(bound -> 0);
        assertEquals(List.of("first.equal.test", "b.equal.test", "c.equal.test", "a.equal.test"),
                hosts(route(router, "equal.test")));
    }

    @Test
    void equalPreferencesSpreadEvenly() throws Exception {
        Random random = new Random(42);
        router(random::nextInt);
        Map<String, Integer> second = new HashMap<>();
        for (int i = 0; i < 600; i++) {
            List<String> hosts = hosts(route(router, "equal.test"));
            assertEquals("first.equal.test", hosts.get(0), "the lower preference always comes first");
            second.merge(hosts.get(1), 1, Integer::sum);
        }
        assertEquals(3, second.size(), second::toString);
        second.values().forEach(n -> assertTrue(n > 140 && n < 260, second::toString));
        assertEquals(1, dns.count("equal.test.", Type.MX), "shuffled per route, but looked up once");
    }

    @Test
    void routeIsLimitedToMaxMxHostsButTheSiteNamesThemAll() throws Exception {
        router(bound -> 0, "maxMxHosts", 2);
        Route.Hops hops = hops(route(router, "many.test"));
        assertEquals(List.of("h1.many.test", "h2.many.test"), hosts(hops));
        assertEquals("h1.many.test+h2.many.test+h3.many.test+h4.many.test", hops.site());
        assertEquals(0, dns.count("h3.many.test.", Type.A), "hosts beyond the limit are not resolved");
    }

    @Test
    void ipv4AddressLiteral() throws Exception {
        router(bound -> 0);
        Route.Hops hops = hops(route(router, "[192.0.2.1]"));
        assertEquals(List.of("[192.0.2.1]/192.0.2.1:25/0"), describe(hops));
        assertEquals("[192.0.2.1]", hops.site());
        assertEquals("[192.0.2.1]", hops.destination());
    }

    @Test
    void ipv6AddressLiterals() throws Exception {
        router(bound -> 0);
        assertEquals(InetAddress.getByName("::1"), hops(route(router, "[IPv6:::1]")).hops().get(0).address());
        assertEquals(InetAddress.getByName("2001:db8::1"),
                hops(route(router, "[ipv6:2001:DB8::1]")).hops().get(0).address());
    }

    @Test
    void malformedLiteralsArePermanentSyntaxErrors() throws Exception {
        router(bound -> 0);
        for (String bad : List.of("[300.1.1.1]", "[192.0.2]", "[foo]", "[IPv6:192.0.2.1]", "[2001:db8::1]",
                "[x:y]", "[]")) {
            assertFailure(route(router, bad), 550, "5.1.3");
        }
    }

    @Test
    void literalOfThisHostIsALoop() throws Exception {
        router(bound -> 0, "localAddresses", new String[] {"192.0.2.7", "::1"});
        assertFailure(route(router, "[192.0.2.7]"), 550, "5.4.6");
        assertFailure(route(router, "[IPv6:0:0::1]"), 550, "5.4.6");
    }

    @Test
    void internationalisedDomainIsLookedUpAsALabels() throws Exception {
        router(bound -> 0);
        Route.Hops hops = hops(route(router, "BÜCHER.test"));
        assertEquals("xn--bcher-kva.test", hops.destination());
        assertEquals("mx1.example.test", hops.hops().get(0).host());
        assertEquals(1, dns.count("xn--bcher-kva.test.", Type.MX));
        assertEquals("xn--bcher-kva.test", hops(route(router, "xn--bcher-kva.test.")).destination());
    }

    @Test
    void syntacticallyBadDomainsArePermanentWithoutDnsTraffic() throws Exception {
        router(bound -> 0);
        for (String bad : List.of("", "exa mple.test", "a..test", "-a.test", "a\r\nb.test", "x".repeat(64) + ".test")) {
            Route r = route(router, bad);
            assertFailure(r, 550, "5.1.3");
            assertFalse(((Route.Failure) r).reply().text().contains("\r"));
        }
    }
}
