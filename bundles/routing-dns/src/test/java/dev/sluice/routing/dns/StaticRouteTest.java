package dev.sluice.routing.dns;

import dev.sluice.testing.dns.TestDnsServer;
import static dev.sluice.routing.dns.TestSupport.assertFailure;
import static dev.sluice.routing.dns.TestSupport.config;
import static dev.sluice.routing.dns.TestSupport.describe;
import static dev.sluice.routing.dns.TestSupport.hops;
import static dev.sluice.routing.dns.TestSupport.route;
import static dev.sluice.routing.dns.TestSupport.routerConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.routing.Credentials;
import dev.sluice.api.routing.Route;
import dev.sluice.api.routing.TlsPolicy;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** Static routes: matching, precedence over DNS, host forms, credentials, validation, reconfiguration. */
class StaticRouteTest {

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

    @BeforeEach
    void startRouter() {
        router = new DnsRouter(routerConfig(dns), Clock.systemUTC(), bound -> 0);
    }

    @AfterEach
    void stopRouter() {
        router.deactivate();
    }

    static StaticRoute staticRoute(String name, String[] domains, String[] hosts, Object... more) {
        Object[] base = {"name", name, "domains", domains, "hosts", hosts};
        Object[] all = new Object[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return new StaticRoute(config(StaticRoute.Config.class, all), Map.of("service.pid", "pid-" + name));
    }

    private static String[] of(String... values) {
        return values;
    }

    @Test
    void smarthostWinsOverDnsWithTlsAndCredentials() throws Exception {
        router.staticRoutes = List.of(staticRoute("provider", of("example.test"), of("smarthost.test:2525"),
                "tls", "required", "username", "sluice", "_password", "secret"));
        int mxQueries = dns.count("example.test.", Type.MX);
        Route.Hops hops = hops(route(router, "example.test"));
        assertEquals(List.of("smarthost.test/127.0.0.5:2525/0", "smarthost.test/0:0:0:0:0:0:0:1:2525/0"),
                describe(hops));
        assertEquals("route:provider", hops.site());
        assertEquals(TlsPolicy.REQUIRED, hops.hops().get(0).tls());
        assertEquals(new Credentials("sluice", "secret"), hops.hops().get(1).credentials());
        assertEquals(mxQueries, dns.count("example.test.", Type.MX), "no MX lookup for a static route");
    }

    @Test
    void commaSeparatedValuesOfACfgFileAreListsInOrder() throws Exception {
        // deploy/*.cfg gives "hosts=a,b" to DS as a one-element array
        router.staticRoutes = List.of(staticRoute("pair", of("one.test, two.test"),
                of("127.0.0.7:2525,127.0.0.8:2526 , [::1]:2527")));
        Route.Hops hops = hops(route(router, "two.test"));
        assertEquals(List.of("127.0.0.7/127.0.0.7:2525/0", "127.0.0.8/127.0.0.8:2526/0", "::1/0:0:0:0:0:0:0:1:2527/0"),
                describe(hops));
        assertEquals(hops.hops(), hops(route(router, "one.test")).hops());
    }

    @Test
    void wildcardMatchesSubdomainsOnly() throws Exception {
        router.staticRoutes = List.of(staticRoute("corp", of("*.corp.test"), of("192.0.2.10")));
        assertEquals("route:corp", hops(route(router, "a.corp.test")).site());
        assertEquals("route:corp", hops(route(router, "x.y.CORP.test")).site());
        assertFailure(route(router, "corp.test"), 550, "5.1.2");
    }

    @Test
    void defaultRouteCatchesEverythingIncludingLiterals() throws Exception {
        router.staticRoutes = List.of(staticRoute("all", of("*"), of("192.0.2.20:587", "[2001:db8::25]", "::1")));
        Route.Hops hops = hops(route(router, "nowhere.test"));
        assertEquals(List.of("192.0.2.20/192.0.2.20:587/0", "2001:db8::25/2001:db8:0:0:0:0:0:25:25/0",
                "::1/0:0:0:0:0:0:0:1:25/0"), describe(hops));
        assertEquals("[192.0.2.1]", hops(route(router, "[192.0.2.1]")).destination());
        assertEquals("route:all", hops(route(router, "[192.0.2.1]")).site());
        assertEquals(TlsPolicy.OPPORTUNISTIC, hops.hops().get(0).tls());
        assertNull(hops.hops().get(0).credentials());
    }

    @Test
    void mostSpecificMatchWins() throws Exception {
        router.staticRoutes = List.of(
                staticRoute("default", of("*"), of("192.0.2.1")),
                staticRoute("wide", of("*.test"), of("192.0.2.2")),
                staticRoute("narrow", of("*.corp.test"), of("192.0.2.3")),
                staticRoute("exact", of("mail.corp.test", "other.test"), of("192.0.2.4")));
        assertEquals("route:exact", hops(route(router, "mail.corp.test")).site());
        assertEquals("route:narrow", hops(route(router, "www.corp.test")).site());
        assertEquals("route:wide", hops(route(router, "example.test")).site());
        assertEquals("route:default", hops(route(router, "example.org")).site());
    }

    @Test
    void equallySpecificRoutesAreChosenByName() throws Exception {
        StaticRoute b = staticRoute("b", of("example.test"), of("192.0.2.2"));
        StaticRoute a = staticRoute("a", of("example.test"), of("192.0.2.1"));
        router.staticRoutes = List.of(b, a);
        assertEquals("route:a", hops(route(router, "example.test")).site());
    }

    @Test
    void reconfigurationAppliesToTheNextRoute() throws Exception {
        router.staticRoutes = List.of(staticRoute("one", of("example.test"), of("192.0.2.1")));
        assertEquals("route:one", hops(route(router, "example.test")).site());
        router.staticRoutes = List.of(staticRoute("one", of("example.test"), of("192.0.2.9:2526")));
        assertEquals(List.of("192.0.2.9/192.0.2.9:2526/0"), describe(hops(route(router, "example.test"))));
        router.staticRoutes = List.of();
        assertEquals("mx1.example.test+mx2.example.test", hops(route(router, "example.test")).site());
    }

    @Test
    void unresolvableSmarthostDefersInsteadOfBouncing() throws Exception {
        router.staticRoutes = List.of(staticRoute("gone", of("example.test"), of("nohost.mxnoaddr.test")));
        assertFailure(route(router, "example.test"), 451, "4.4.4");
        router.staticRoutes = List.of(staticRoute("flaky", of("example.test"), of("relay.servfail.test")));
        assertFailure(route(router, "example.test"), 451, "4.4.3");
    }

    @Test
    void nameDefaultsToThePid() {
        StaticRoute r = new StaticRoute(config(StaticRoute.Config.class, "domains", of("*"), "hosts", of("::1")),
                Map.of("service.pid", "dev.sluice.routing.static~relay"));
        assertEquals("dev.sluice.routing.static~relay", r.name());
    }

    @Test
    void badConfigurationNamesTheKey() {
        assertMessage("domains", () -> staticRoute("x", of(), of("192.0.2.1")));
        assertMessage("hosts", () -> staticRoute("x", of("a.test"), of()));
        assertMessage("domains", () -> staticRoute("x", of("bad domain"), of("192.0.2.1")));
        assertMessage("hosts", () -> staticRoute("x", of("a.test"), of("bad host:25")));
        assertMessage("hosts", () -> staticRoute("x", of("a.test"), of("relay.test:99999")));
        assertMessage("hosts", () -> staticRoute("x", of("a.test"), of("[2001:db8::1")));
        assertMessage("tls", () -> staticRoute("x", of("a.test"), of("192.0.2.1"), "tls", "maybe"));
        assertMessage("password", () -> staticRoute("x", of("a.test"), of("192.0.2.1"), "username", "u"));
        assertMessage("name", () -> staticRoute("a b", of("a.test"), of("192.0.2.1")));
    }

    static void assertMessage(String key, Runnable construction) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construction::run);
        assertTrue(e.getMessage().contains(key), () -> "'" + e.getMessage() + "' should name " + key);
    }
}
