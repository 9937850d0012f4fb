package dev.sluice.queue.file;

import java.util.function.Consumer;

/**
 * The in-memory index, key to {@link IndexEntry}, for a million messages and more: open-addressing tables
 * of entries that carry their own key, so there is neither a boxed {@code Long} nor a map node per message
 * (a {@code ConcurrentHashMap<Long, IndexEntry>} cost about 60 bytes per message more). Striped by key, each
 * stripe guarded by its own monitor: commits, updates and the recovery threads rarely meet on one.
 */
final class SpoolIndex {

    private static final int STRIPES = 64;
    private final Stripe[] stripes = new Stripe[STRIPES];

    SpoolIndex() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    void put(IndexEntry entry) {
        Stripe s = stripe(entry.key);
        synchronized (s) {
            s.put(entry, true);
        }
    }

    /** False (and nothing changed) when the key is already there. */
    boolean putIfAbsent(IndexEntry entry) {
        Stripe s = stripe(entry.key);
        synchronized (s) {
            return s.put(entry, false);
        }
    }

    void remove(long key) {
        Stripe s = stripe(key);
        synchronized (s) {
            s.remove(key);
        }
    }

    long size() {
        long n = 0;
        for (Stripe s : stripes) {
            synchronized (s) {
                n += s.size;
            }
        }
        return n;
    }

    /**
     * Every entry, stripe by stripe; {@code action} runs outside the stripe's lock (it may call back into the
     * queue). Weakly consistent, as a concurrent map's iteration: entries added or removed meanwhile may be missed.
     */
    void forEach(Consumer<IndexEntry> action) {
        for (Stripe s : stripes) {
            IndexEntry[] snapshot;
            synchronized (s) {
                snapshot = s.table.clone();
            }
            for (IndexEntry e : snapshot) {
                if (e != null) {
                    action.accept(e);
                }
            }
        }
    }

    private Stripe stripe(long key) {
        return stripes[(int) (mix(key) >>> 58)];
    }

    /** Queue keys are nearly sequential: spread them (the high bits pick the stripe, the low bits the slot). */
    private static long mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29);
    }

    /** Linear probing, at most 3/4 full; removal shifts the following run back, so there are no tombstones. */
    private static final class Stripe {
        IndexEntry[] table = new IndexEntry[16];
        int size;

        boolean put(IndexEntry entry, boolean replace) {
            int mask = table.length - 1;
            for (int i = (int) mix(entry.key) & mask; ; i = (i + 1) & mask) {
                IndexEntry e = table[i];
                if (e == null) {
                    table[i] = entry;
                    if (++size > table.length - (table.length >>> 2)) {
                        resize(table.length << 1);
                    }
                    return true;
                }
                if (e.key == entry.key) {
                    if (replace) {
                        table[i] = entry;
                    }
                    return replace;
                }
            }
        }

        void remove(long key) {
            int mask = table.length - 1;
            int i = (int) mix(key) & mask;
            while (table[i] != null && table[i].key != key) {
                i = (i + 1) & mask;
            }
            if (table[i] == null) {
                return;
            }
            table[i] = null;
            size--;
            // move back every entry of the run after the hole whose home slot is not between the hole and it
            for (int j = (i + 1) & mask; table[j] != null; j = (j + 1) & mask) {
                int home = (int) mix(table[j].key) & mask;
                if (((j - home) & mask) >= ((j - i) & mask)) {
                    table[i] = table[j];
                    table[j] = null;
                    i = j;
                }
            }
            if (table.length > 16 && size < table.length >>> 3) {
                resize(table.length >>> 1);
            }
        }

        private void resize(int length) {
            IndexEntry[] old = table;
            table = new IndexEntry[length];
            int mask = length - 1;
            for (IndexEntry e : old) {
                if (e != null) {
                    int i = (int) mix(e.key) & mask;
                    while (table[i] != null) {
                        i = (i + 1) & mask;
                    }
                    table[i] = e;
                }
            }
        }
    }
}
