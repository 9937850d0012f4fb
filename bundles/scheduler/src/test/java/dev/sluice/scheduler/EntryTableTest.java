package dev.sluice.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EntryTableTest {

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /** Ids shaped like queue-file's: 8 base62 digits of a millisecond, 3 of a counter. */
    private static String queueId(long n) {
        char[] c = new char[11];
        for (int i = 10; i >= 0; i--) {
            c[i] = BASE62.charAt((int) (n % 62));
            n /= 62;
        }
        return new String(c);
    }

    @Test
    void findsRemovesAndIteratesLikeAMapWithQueueShapedIds() {
        EntryTable table = new EntryTable();
        Map<String, Entry> model = new HashMap<>();
        List<Entry> added = new ArrayList<>();
        Random random = new Random(7);
        long n = 1_764_669_600_000L * 238_328L;
        for (int i = 0; i < 100_000; i++) {
            n += 1 + random.nextInt(3) * 238_328L;
            Entry e = new Entry(queueId(n), i, i);
            table.add(e);
            model.put(e.id(), e);
            added.add(e);
            if (random.nextInt(4) == 0) {
                int k = random.nextInt(added.size());
                Entry victim = added.set(k, added.get(added.size() - 1));
                added.remove(added.size() - 1);
                assertTrue(table.remove(victim));
                model.remove(victim.id());
            }
        }
        assertEquals(model.size(), table.size());
        for (Entry e : model.values()) {
            assertSame(e, table.get(e.id()));
            assertTrue(table.holds(e));
        }
        Map<Entry, Boolean> seen = new IdentityHashMap<>();
        table.forEach(e -> assertNull(seen.put(e, true), "iterated twice: " + e.id()));
        assertEquals(model.size(), seen.size());

        for (Entry e : List.copyOf(model.values())) {
            assertTrue(table.remove(e));
            assertFalse(table.remove(e));
            assertNull(table.get(e.id()));
        }
        assertEquals(0, table.size());
        assertFalse(table.iterator().hasNext());
    }

    @Test
    void anotherEntryUnderTheSameIdIsNotHeld() {
        EntryTable table = new EntryTable();
        Entry indexed = new Entry("Q1", 1, 1);
        Entry stale = new Entry("Q1", 1, 1);
        table.add(indexed);
        assertTrue(table.holds(indexed));
        assertFalse(table.holds(stale));
        assertFalse(table.remove(stale));
        assertSame(indexed, table.get("Q1"));
        table.clear();
        assertNull(table.get("Q1"));
        assertEquals(0, table.size());
    }
}
