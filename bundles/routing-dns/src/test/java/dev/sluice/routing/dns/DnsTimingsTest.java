package dev.sluice.routing.dns;

import static dev.sluice.routing.dns.TestSupport.assertFailure;
import static dev.sluice.routing.dns.TestSupport.hops;
import static dev.sluice.routing.dns.TestSupport.route;
import static dev.sluice.routing.dns.TestSupport.routerConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.testing.dns.TestDnsServer;
import dev.sluice.testing.metrics.RecordingMetrics;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** What the router records in the metrics service: each query by type and result, and cache hits and misses. */
class DnsTimingsTest {

    private static final String QUERY = "sluice_dns_query_seconds";
    private final TestDnsServer dns = new TestDnsServer();
    private final DnsRouter router = new DnsRouter(routerConfig(dns), Clock.systemUTC(), bound -> 0);
    private final RecordingMetrics metrics = new RecordingMetrics();

    DnsTimingsTest() throws Exception {
    }

    @AfterEach
    void stop() throws Exception {
        router.deactivate();
        dns.close();
    }

    private int queries(String type, String result) {
        return metrics.get(QUERY, "type", type, "result", result).size();
    }

    @Test
    void everyQueryIsTimedByTypeAndResultAndTheCacheIsCounted() throws Exception {
        router.bindMetrics(metrics);
        hops(route(router, "example.test"));
        assertEquals(1, queries("MX", "ok"));
        assertEquals(dns.count("mx1.example.test.", Type.A) + dns.count("mx2.example.test.", Type.A),
                queries("A", "ok"));
        assertEquals(2, queries("AAAA", "ok"), "no AAAA for mx2 is a NOERROR answer too");
        int asked = metrics.get("sluice_dns_cache_misses_total").size();
        assertEquals(5, asked, "one MX, and A and AAAA for each of the two hosts");
        hops(route(router, "example.test"));
        assertEquals(5, metrics.get("sluice_dns_cache_hits_total").size());
        assertEquals(asked, metrics.get("sluice_dns_cache_misses_total").size());

        assertFailure(route(router, "nowhere.test"), 550, "5.1.2");
        assertEquals(1, queries("MX", "nxdomain"));
        assertFailure(route(router, "servfail.test"), 451, "4.4.3");
        assertEquals(1, queries("MX", "servfail"));
        assertFailure(route(router, "timeout.test"), 451, "4.4.3");
        assertEquals(1, queries("MX", "timeout"));
    }

    @Test
    void nothingIsRecordedOnceTheMetricsServiceIsGone() throws Exception {
        router.bindMetrics(metrics);
        router.unbindMetrics(metrics);
        hops(route(router, "example.test"));
        assertEquals(List.of(), metrics.get(QUERY, "type", "MX", "result", "ok"));
    }
}
