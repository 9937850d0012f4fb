package dev.sluice.scheduler;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loaded messages waiting aside ({@link Waits}) over every destination. Each holds its envelope, recipients and header
 * block, and mail of a busy destination from many sender domains parks one message per sender, so the per-destination
 * bound alone would let a few hundred busy destinations fill the heap. Past this bound a destination keeps its
 * message in hand and waits for its path, as a single ready queue would.
 */
final class WaitingBudget {

    /** About 50 MB at ~10 KB per loaded message. */
    static final int MAX = 5_000;

    private final AtomicInteger loaded = new AtomicInteger();
    private final int max;

    WaitingBudget(int max) {
        this.max = max;
    }

    boolean exhausted() {
        return loaded.get() >= max;
    }

    void added() {
        loaded.incrementAndGet();
    }

    void removed(int count) {
        loaded.addAndGet(-count);
    }
}
