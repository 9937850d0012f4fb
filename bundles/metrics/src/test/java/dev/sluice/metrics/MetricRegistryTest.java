package dev.sluice.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.api.metrics.Buckets;
import dev.sluice.api.metrics.Counter;
import dev.sluice.api.metrics.Timer;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricRegistryTest {

    private final MetricRegistry registry = new MetricRegistry();

    private Exposition scrape() {
        PrometheusText text = new PrometheusText();
        registry.write(text);
        return Exposition.parse(text.toString());
    }

    @Test
    void theSameNameAndLabelValuesGiveTheSameSeries() {
        Timer a = registry.timer("sluice_dns_lookup_seconds", "DNS.", Buckets.LATENCY, "type", "MX", "result", "ok");
        assertSame(a, registry.timer("sluice_dns_lookup_seconds", "DNS.", Buckets.LATENCY, "type", "MX", "result", "ok"));
        Timer b = registry.timer("sluice_dns_lookup_seconds", "DNS.", Buckets.LATENCY, "type", "A", "result", "ok");
        a.record(2_000_000);
        a.record(4_000_000);
        b.since(System.nanoTime());
        Counter hits = registry.counter("sluice_dns_cache_hits_total", "Hits.");
        hits.increment();
        Exposition e = scrape();
        assertEquals("histogram", e.types.get("sluice_dns_lookup_seconds"));
        assertEquals("counter", e.types.get("sluice_dns_cache_hits_total"));
        assertEquals(2, e.value("sluice_dns_lookup_seconds_count{type=MX,result=ok}"));
        assertEquals(0.006, e.value("sluice_dns_lookup_seconds_sum{type=MX,result=ok}"), 1e-12);
        assertEquals(1, e.value("sluice_dns_lookup_seconds_count{type=A,result=ok}"));
        assertEquals(1, e.value("sluice_dns_cache_hits_total"));
        List<String> order = e.samples.keySet().stream().filter(k -> k.endsWith("_count{type=A,result=ok}")
                || k.endsWith("_count{type=MX,result=ok}")).toList();
        assertEquals(List.of("sluice_dns_lookup_seconds_count{type=A,result=ok}",
                "sluice_dns_lookup_seconds_count{type=MX,result=ok}"), order, "series in label order");
    }

    @Test
    void aNameKeepsItsTypeLabelsAndBuckets() {
        registry.timer("sluice_x_seconds", "X.", Buckets.LATENCY, "listener", "a");
        assertThrows(IllegalArgumentException.class,
                () -> registry.timer("sluice_x_seconds", "X.", Buckets.LATENCY, "stage", "a"));
        assertThrows(IllegalArgumentException.class,
                () -> registry.timer("sluice_x_seconds", "X.", Buckets.QUEUE_TIME, "listener", "a"));
        assertThrows(IllegalArgumentException.class, () -> registry.counter("sluice_x_seconds", "X."));
    }

    @Test
    void malformedNamesAndLabelsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> registry.counter("sluice_requests", "no _total"));
        assertThrows(IllegalArgumentException.class, () -> registry.counter("sluice-bad_total", "X."));
        assertThrows(IllegalArgumentException.class, () -> registry.counter("sluice_a_total", "X.", "odd"));
        assertThrows(IllegalArgumentException.class, () -> registry.counter("sluice_b_total", "X.", "__x", "v"));
        assertThrows(IllegalArgumentException.class, () -> registry.counter("sluice_c_total", "X.", "a", "1", "a", "2"));
        assertThrows(IllegalArgumentException.class,
                () -> registry.timer("sluice_y_seconds", "X.", Buckets.LATENCY, "le", "1"));
        assertThrows(IllegalArgumentException.class, () -> new Buckets(List.of(1.0, 0.5)));
        assertThrows(IllegalArgumentException.class, () -> new Buckets(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Buckets(List.of(0.0, 1.0)));
    }

    @Test
    void labelValuesAreEscapedAndAFamilyStopsGrowingAtItsLimit() {
        registry.counter("sluice_f_total", "Odd values.", "filter", "a\"b\\c\nd").increment();
        assertEquals(1, scrape().value("sluice_f_total{filter=a\"b\\c\nd}"));
        for (int i = 1; i < MetricRegistry.MAX_SERIES; i++) {
            registry.counter("sluice_f_total", "Odd values.", "filter", "f" + i).increment();
        }
        Counter over = registry.counter("sluice_f_total", "Odd values.", "filter", "one too many");
        assertSame(Counter.NONE, over);
        assertEquals(MetricRegistry.MAX_SERIES, scrape().samples.size());
    }
}
