package dev.sluice.dsn;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last N delivery log lines, for a console page to show. Lock-free because it is written on delivery
 * threads: concurrent writers may interleave in slot order, which is harmless for a "recent activity" view.
 */
final class RecentLines {

    private final AtomicReferenceArray<String> slots;
    private final AtomicLong written = new AtomicLong();

    RecentLines(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("negative capacity: " + capacity);
        }
        slots = new AtomicReferenceArray<>(capacity);
    }

    void add(String line) {
        int capacity = slots.length();
        if (capacity > 0) {
            slots.set((int) (written.getAndIncrement() % capacity), line);
        }
    }

    /** Oldest first. */
    List<String> snapshot() {
        int capacity = slots.length();
        long end = written.get();
        List<String> lines = new ArrayList<>(capacity);
        for (long i = Math.max(0, end - capacity); i < end; i++) {
            String line = slots.get((int) (i % capacity));
            if (line != null) {
                lines.add(line);
            }
        }
        return lines;
    }
}
