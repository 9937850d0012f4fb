package dev.sluice.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.api.metrics.Buckets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistogramTest {

    private static Exposition write(Histogram h, String... labels) {
        PrometheusText text = new PrometheusText();
        text.family("t_seconds", "histogram", "Test.");
        h.write(text, "t_seconds", labels);
        return Exposition.parse(text.toString());
    }

    @Test
    void anObservationCountsInTheFirstBucketWhoseBoundIsNotBelowIt() {
        Histogram h = new Histogram(new Buckets(List.of(0.001, 0.01, 1.0)));
        h.record(1_000_000);     // exactly 1 ms: le="0.001" (upper bounds are inclusive)
        h.record(1_000_001);     // just above: the 10 ms bucket
        h.record(0);
        h.record(-5);            // a clock step backwards counts as 0
        h.record(2_000_000_000); // 2 s: only +Inf
        Exposition e = write(h, "listener", "default");
        assertEquals(3, e.value("t_seconds_bucket{listener=default,le=0.001}"));
        assertEquals(4, e.value("t_seconds_bucket{listener=default,le=0.01}"));
        assertEquals(4, e.value("t_seconds_bucket{listener=default,le=1}"));
        assertEquals(5, e.value("t_seconds_bucket{listener=default,le=+Inf}"));
        assertEquals(5, e.value("t_seconds_count{listener=default}"));
        assertEquals(2.002000001, e.value("t_seconds_sum{listener=default}"), 1e-12);
    }

    @Test
    void anUnusedSeriesHasEveryBucketAtZero() {
        Exposition e = write(new Histogram(Buckets.LATENCY));
        assertEquals(Buckets.LATENCY.upperBounds().size() + 3, e.samples.size());
        assertEquals(0, e.value("t_seconds_bucket{le=0.0025}"));
        assertEquals(0, e.value("t_seconds_bucket{le=10}"));
        assertEquals(0, e.value("t_seconds_count"));
        assertEquals(0, e.value("t_seconds_sum"));
    }

    @Test
    void boundsAreWrittenAsPrometheusReadsThem() {
        String text = new PrometheusText().sample("x", 1, "le", PrometheusText.number(0.0025)).toString();
        assertEquals("x{le=\"0.0025\"} 1\n", text);
        assertEquals("+Inf", PrometheusText.number(Double.POSITIVE_INFINITY));
        assertEquals("10", PrometheusText.number(10.0));
    }
}
