package dev.sluice.metrics;

import dev.sluice.api.metrics.Counter;
import java.util.concurrent.atomic.LongAdder;

/** One counter series. */
final class SimpleCounter implements Counter {

    private final LongAdder count = new LongAdder();

    @Override
    public void increment() {
        count.increment();
    }

    long value() {
        return count.sum();
    }
}
