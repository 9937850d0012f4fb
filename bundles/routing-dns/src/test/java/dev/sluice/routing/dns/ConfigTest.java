package dev.sluice.routing.dns;

import static dev.sluice.routing.dns.StaticRouteTest.assertMessage;
import static dev.sluice.routing.dns.TestSupport.config;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import org.junit.jupiter.api.Test;

/** A bad router configuration fails activation with a message naming the key; defaults activate. */
class ConfigTest {

    private static void activate(Object... keyValues) {
        new DnsRouter(config(DnsRouter.Config.class, keyValues), Clock.systemUTC(), bound -> 0).deactivate();
    }

    @Test
    void defaultsActivateWithTheSystemResolvers() {
        DnsRouter router = new DnsRouter(config(DnsRouter.Config.class));
        router.deactivate();
        assertEquals(0, router.cacheSize());
    }

    @Test
    void badValuesNameTheirKey() {
        assertMessage("timeoutMillis", () -> activate("timeoutMillis", 0));
        assertMessage("retries", () -> activate("retries", -1));
        assertMessage("maxMxHosts", () -> activate("maxMxHosts", 0));
        assertMessage("cacheMaxEntries", () -> activate("cacheMaxEntries", -5));
        assertMessage("negativeCacheMaxTtlSeconds", () -> activate("negativeCacheMaxTtlSeconds", -1));
        assertMessage("failureCacheSeconds", () -> activate("failureCacheSeconds", 301));
        assertMessage("addressFamilies", () -> activate("addressFamilies", "ipv5"));
        assertMessage("resolvers", () -> activate("resolvers", new String[] {"dns.example.test"}));
        assertMessage("resolvers", () -> activate("resolvers", new String[] {"127.0.0.1:0"}));
        assertMessage("localAddresses", () -> activate("localAddresses", new String[] {"mx.example.test"}));
    }

    @Test
    void resolverFormsAreAccepted() {
        activate("resolvers", new String[] {"127.0.0.1", "127.0.0.1:5353", "[::1]:53", "::1", " "});
    }
}
