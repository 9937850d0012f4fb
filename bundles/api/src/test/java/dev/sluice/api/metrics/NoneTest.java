package dev.sluice.api.metrics;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class NoneTest {

    @Test
    void theNoOpHandlesExistWhicheverConstantIsReadFirst() {
        // Metrics.NONE first: initializing it must not leave Timer.NONE or Counter.NONE null.
        Timer timer = Metrics.NONE.timer("x_seconds", "", Buckets.LATENCY);
        assertNotNull(Timer.NONE);
        assertNotNull(Counter.NONE);
        assertSame(Timer.NONE, timer);
        assertSame(Counter.NONE, Metrics.NONE.counter("x_total", ""));
        timer.since(System.nanoTime());
        Counter.NONE.increment();
    }
}
