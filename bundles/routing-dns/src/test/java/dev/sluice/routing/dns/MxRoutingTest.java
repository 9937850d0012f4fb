package dev.sluice.routing.dns;

import dev.sluice.testing.dns.TestDnsServer;
import static dev.sluice.routing.dns.TestSupport.assertFailure;
import static dev.sluice.routing.dns.TestSupport.describe;
import static dev.sluice.routing.dns.TestSupport.hops;
import static dev.sluice.routing.dns.TestSupport.routerConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.routing.Route;
import dev.sluice.api.routing.TlsPolicy;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** Every DNS corner case of issue 6 against a real (loopback) DNS server. */
class MxRoutingTest {

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

    private Route route(String domain, Object... config) throws Exception {
        router = new DnsRouter(routerConfig(dns, config), Clock.systemUTC(), bound -> 0);
        return TestSupport.route(router, domain);
    }

    @Test
    void mxHostsInPreferenceOrderWithEveryAddress() throws Exception {
        Route.Hops hops = hops(route("example.test"));
        assertEquals(List.of("mx1.example.test/127.0.0.1:25/10", "mx1.example.test/0:0:0:0:0:0:0:1:25/10",
                "mx2.example.test/127.0.0.2:25/20"), describe(hops));
        assertEquals("example.test", hops.destination());
        assertEquals("mx1.example.test+mx2.example.test", hops.site());
        assertEquals(TlsPolicy.OPPORTUNISTIC, hops.hops().get(0).tls());
        assertNull(hops.hops().get(0).credentials());
    }

    @Test
    void domainsSharingMxHostsShareTheSite() throws Exception {
        assertEquals("mx1.example.test+mx2.example.test", hops(route("shared.test")).site());
    }

    @Test
    void addressFamilyPreference() throws Exception {
        assertEquals(List.of("mx1.example.test/0:0:0:0:0:0:0:1:25/10", "mx1.example.test/127.0.0.1:25/10",
                "mx2.example.test/127.0.0.2:25/20"), describe(hops(route("example.test", "addressFamilies", "ipv6-first"))));
        router.deactivate();
        assertEquals(List.of("mx1.example.test/127.0.0.1:25/10", "mx2.example.test/127.0.0.2:25/20"),
                describe(hops(route("example.test", "addressFamilies", "ipv4-only"))));
        router.deactivate();
        assertEquals(List.of("mx1.example.test/0:0:0:0:0:0:0:1:25/10"),
                describe(hops(route("example.test", "addressFamilies", "IPv6-Only"))));
    }

    @Test
    void nullMxIsPermanentEvenWithAnAddressRecord() throws Exception {
        int before = dns.count("nullmx.test.", Type.A);
        assertFailure(route("nullmx.test"), 556, "5.1.10");
        assertEquals(before, dns.count("nullmx.test.", Type.A), "the A record must not even be looked up");
    }

    @Test
    void nullMxNextToRealMxIsIgnored() throws Exception {
        assertEquals(List.of("mx2.example.test/127.0.0.2:25/10"), describe(hops(route("mixednull.test"))));
    }

    @Test
    void noMxMeansTheDomainItselfIsTheMx() throws Exception {
        Route.Hops hops = hops(route("nomx.test"));
        assertEquals(List.of("nomx.test/127.0.0.1:25/0"), describe(hops));
        assertEquals("nomx.test", hops.site());
    }

    @Test
    void nxdomainIsPermanent() throws Exception {
        assertFailure(route("nowhere.test"), 550, "5.1.2");
    }

    @Test
    void servfailIsTemporary() throws Exception {
        assertFailure(route("servfail.test"), 451, "4.4.3");
    }

    @Test
    void timeoutIsTemporary() throws Exception {
        Route r = route("timeout.test");
        assertFailure(r, 451, "4.4.3");
        assertTrue(((Route.Failure) r).reply().text().contains("timed out"), r::toString);
    }

    @Test
    void malformedAnswerIsTemporary() throws Exception {
        assertFailure(route("badanswer.test"), 451, "4.4.3");
    }

    @Test
    void unreachableResolverIsTemporary() throws Exception {
        int closedPort;
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        assertFailure(route("example.test", "resolvers", new String[] {"127.0.0.1:" + closedPort}), 451, "4.4.3");
    }

    @Test
    void nextResolverAnswersWhenTheFirstIsDead() throws Exception {
        int closedPort;
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Route r = route("nomx.test", "resolvers", new String[] {"127.0.0.1:" + closedPort, dns.resolver()});
        assertEquals(List.of("nomx.test/127.0.0.1:25/0"), describe(hops(r)));
    }

    @Test
    void lessPreferredHostsFollowAsFallback() throws Exception {
        assertEquals(List.of("dead.fallback.test/127.0.0.3:25/10", "live.fallback.test/127.0.0.1:25/20"),
                describe(hops(route("fallback.test"))));
    }

    @Test
    void unresolvableMxHostsAreSkipped() throws Exception {
        assertEquals(List.of("mx1.example.test/127.0.0.1:25/10", "mx1.example.test/0:0:0:0:0:0:0:1:25/10"),
                describe(hops(route("mxfail.test"))));
    }

    @Test
    void allMxHostsWithoutAddressIsTemporary() throws Exception {
        assertFailure(route("mxnoaddr.test"), 451, "4.4.4");
    }

    @Test
    void cnameIsChasedWhenTheServerDoesNot() throws Exception {
        int before = dns.count("mx1.example.test.", Type.A);
        assertEquals(List.of("alias.example.test/127.0.0.1:25/10", "alias.example.test/0:0:0:0:0:0:0:1:25/10"),
                describe(hops(route("cname.test"))));
        assertEquals(before + 1, dns.count("mx1.example.test.", Type.A));
    }

    @Test
    void cnameLoopIsTemporaryNotAHang() throws Exception {
        assertFailure(route("cnameloop.test"), 451, "4.4.3");
    }

    @Test
    void truncatedUdpAnswerIsRetriedOverTcp() throws Exception {
        assertEquals(List.of("mx2.example.test/127.0.0.2:25/10"), describe(hops(route("trunc.test"))));
        assertEquals(1, dns.count("trunc.test.", Type.MX, "tcp"));
    }

    @Test
    void mxNamingThisHostIsALoop() throws Exception {
        assertFailure(route("loop.test", "localNames", new String[] {"SELF.loop.test."}), 550, "5.4.6");
    }

    @Test
    void withoutLocalNamesTheSameMxIsJustAHost() throws Exception {
        assertEquals("self.loop.test", hops(route("loop.test")).hops().get(0).host());
    }

    @Test
    void onlyMxMorePreferredThanThisHostAreUsed() throws Exception {
        assertEquals(List.of("mx1.example.test/127.0.0.1:25/10", "mx1.example.test/0:0:0:0:0:0:0:1:25/10"),
                describe(hops(route("partloop.test", "localNames", new String[] {"self.loop.test"}))));
    }

    @Test
    void mxResolvingToALocalAddressIsALoop() throws Exception {
        assertFailure(route("loopaddr.test", "localAddresses", new String[] {"127.0.0.8"}), 550, "5.4.6");
    }
}
