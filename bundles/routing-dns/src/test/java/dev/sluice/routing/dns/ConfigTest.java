package dev.sluice.routing.dns;

import static dev.sluice.routing.dns.StaticRouteTest.assertMessage;
import static dev.sluice.routing.dns.TestSupport.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A bad router configuration fails activation with a message naming the key; defaults activate. */
class ConfigTest {

    private static void activate(Object... keyValues) {
        new DnsRouter(config(DnsRouter.Config.class, keyValues), Clock.systemUTC(), bound -> 0).deactivate();
    }

    @Test
    void defaultsActivateWithTheSystemResolvers() {
        DnsRouter router = new DnsRouter(config(DnsRouter.Config.class), null);
        router.deactivate();
        assertEquals(0, router.cacheSize());
    }

    /** No resolvers configured: those of /etc/resolv.conf, in its order. */
    @Test
    void withoutConfiguredResolversThoseOfResolvConfAreAsked() throws Exception {
        Path resolvConf = Path.of("/etc/resolv.conf");
        assumeTrue(Files.isReadable(resolvConf) && System.getProperty("dns.server") == null);
        List<String> expected = new ArrayList<>();
        for (String line : Files.readAllLines(resolvConf)) {
            String[] words = line.strip().split("\\s+");
            if (words.length >= 2 && words[0].equals("nameserver")) {
                expected.add(InetAddress.getByName(words[1]).getHostAddress() + ":53");
            }
        }
        assumeFalse(expected.isEmpty(), "no nameserver line in /etc/resolv.conf");
        DnsRouter router = new DnsRouter(config(DnsRouter.Config.class), null);
        try {
            assertEquals(String.join(", ", expected), router.resolvers());
        } finally {
            router.deactivate();
        }
        DnsRouter configured = new DnsRouter(config(DnsRouter.Config.class, "resolvers",
                new String[] {"127.0.0.1:5353", "[::1]:53"}), null);
        try {
            assertEquals("127.0.0.1:5353, 0:0:0:0:0:0:0:1:53", configured.resolvers(), "configured ones win");
        } finally {
            configured.deactivate();
        }
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

    /** The messages say the range, which is the MetaType's min and max of the key. */
    @Test
    void valuesOutOfRangeAreRefusedWithTheRange() {
        refused("timeoutMillis: must be 1 to 600000, was 0", "timeoutMillis", 0);
        refused("retries: must be 0 to 10, was 11", "retries", 11);
        refused("maxMxHosts: must be 1 to 100, was 0", "maxMxHosts", 0);
        refused("cacheMaxEntries: must be 0 to 10000000, was -5", "cacheMaxEntries", -5);
        refused("cacheMaxTtlSeconds: must be 0 to 604800, was 604801", "cacheMaxTtlSeconds", 604_801);
        refused("negativeCacheMaxTtlSeconds: must be 0 to 86400, was -1", "negativeCacheMaxTtlSeconds", -1);
        refused("failureCacheSeconds: must be 0 to 300, was 301", "failureCacheSeconds", 301);
        refused("addressFamilies: 'ipv5' is not one of ipv4-first, ipv6-first, ipv4-only, ipv6-only",
                "addressFamilies", "ipv5");
        activate("timeoutMillis", 600_000, "retries", 0, "addressFamilies", "IPv6-Only", "cacheMaxEntries", 0);
    }

    private static void refused(String message, String key, Object value) {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> activate(key, value));
        assertEquals(message, e.getMessage());
    }

    @Test
    void resolverFormsAreAccepted() {
        activate("resolvers", new String[] {"127.0.0.1", "127.0.0.1:5353", "[::1]:53", "::1", " "});
    }
}
