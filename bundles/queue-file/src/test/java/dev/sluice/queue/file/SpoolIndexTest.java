package dev.sluice.queue.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpoolIndexTest {

    private static IndexEntry entry(long key, long size) {
        return IndexEntry.of(key, 1000, 1000, size, List.of("example.com"), "example.org", false);
    }

    private static Map<Long, IndexEntry> contents(SpoolIndex index) {
        Map<Long, IndexEntry> all = new HashMap<>();
        index.forEach(e -> assertTrue(all.put(e.key, e) == null, "key " + e.key + " seen twice"));
        return all;
    }

    @Test
    void keepsWhatAMapWouldThroughGrowthRemovalsAndShrinking() {
        SpoolIndex index = new SpoolIndex();
        Map<Long, IndexEntry> model = new HashMap<>();
        Random random = new Random(42);
        // queue keys are nearly sequential (millisecond * 62^3 + counter): runs of neighbours, then gaps
        long key = QueueIds.parse("0Vcc0000000");
        for (int i = 0; i < 200_000; i++) {
            key += random.nextInt(4) == 0 ? 238_328 : 1;
            IndexEntry e = entry(key, i);
            index.put(e);
            model.put(key, e);
            if (random.nextInt(3) == 0) {
                Long victim = key - random.nextInt(50);
                index.remove(victim);
                model.remove(victim);
            }
        }
        assertEquals(model.size(), index.size());
        assertEquals(model, contents(index));

        for (Long k : List.copyOf(model.keySet())) {
            if (k % 10 != 0) {
                index.remove(k);
                model.remove(k);
            }
        }
        assertEquals(model.size(), index.size());
        assertEquals(model, contents(index));
    }

    @Test
    void putReplacesAndPutIfAbsentDoesNot() {
        SpoolIndex index = new SpoolIndex();
        IndexEntry first = entry(7, 1);
        IndexEntry second = entry(7, 2);
        assertTrue(index.putIfAbsent(first));
        assertFalse(index.putIfAbsent(second));
        assertSame(first, contents(index).get(7L));
        index.put(second);
        assertSame(second, contents(index).get(7L));
        assertEquals(1, index.size());
        index.remove(7);
        index.remove(8);
        assertEquals(0, index.size());
        assertEquals(Map.of(), contents(index));
    }
}
