package dev.sluice.scheduler;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Entries by queue id for a million messages and more: an open-addressing table of the entries themselves,
 * keyed by the id bytes each entry holds, so there is no map node (and no {@code String}) per message; a
 * {@code HashMap<String, Entry>} cost about 60 bytes per message more, and treeified many of its bins (see
 * {@link #hash}). Not thread-safe: the
 * engine's lock guards it. Linear probing, at most 3/4 full; removal shifts the following run back.
 */
final class EntryTable implements Iterable<Entry> {

    private static final int MIN = 16;
    private Entry[] table = new Entry[MIN];
    private int size;

    int size() {
        return size;
    }

    Entry get(String id) {
        byte[] key = id.getBytes(StandardCharsets.UTF_8);
        int mask = table.length - 1;
        for (int i = hash(key) & mask; table[i] != null; i = (i + 1) & mask) {
            if (Arrays.equals(table[i].id, key)) {
                return table[i];
            }
        }
        return null;
    }

    /** True when this very entry is in the table. */
    boolean holds(Entry entry) {
        return slot(entry) >= 0;
    }

    /** Adds an entry whose id is not in the table yet. */
    void add(Entry entry) {
        insert(table, entry);
        if (++size > table.length - (table.length >>> 2)) {
            resize(table.length << 1);
        }
    }

    /** Removes this very entry; false when the table holds another (or none) under its id. */
    boolean remove(Entry entry) {
        int i = slot(entry);
        if (i < 0) {
            return false;
        }
        int mask = table.length - 1;
        table[i] = null;
        size--;
        for (int j = (i + 1) & mask; table[j] != null; j = (j + 1) & mask) {
            int home = hash(table[j].id) & mask;
            if (((j - home) & mask) >= ((j - i) & mask)) {
                table[i] = table[j];
                table[j] = null;
                i = j;
            }
        }
        if (table.length > MIN && size < table.length >>> 3) {
            resize(table.length >>> 1);
        }
        return true;
    }

    void clear() {
        table = new Entry[MIN];
        size = 0;
    }

    /** Not fail-fast: do not add or remove while iterating. */
    @Override
    public Iterator<Entry> iterator() {
        Entry[] t = table;
        return new Iterator<>() {
            private int next = advance(0);

            private int advance(int from) {
                while (from < t.length && t[from] == null) {
                    from++;
                }
                return from;
            }

            @Override
            public boolean hasNext() {
                return next < t.length;
            }

            @Override
            public Entry next() {
                if (next >= t.length) {
                    throw new NoSuchElementException();
                }
                Entry e = t[next];
                next = advance(next + 1);
                return e;
            }
        };
    }

    private int slot(Entry entry) {
        int mask = table.length - 1;
        for (int i = hash(entry.id) & mask; table[i] != null; i = (i + 1) & mask) {
            if (table[i] == entry) {
                return i;
            }
        }
        return -1;
    }

    private void resize(int length) {
        Entry[] old = table;
        table = new Entry[length];
        for (Entry e : old) {
            if (e != null) {
                insert(table, e);
            }
        }
    }

    private static void insert(Entry[] t, Entry entry) {
        int mask = t.length - 1;
        int i = hash(entry.id) & mask;
        while (t[i] != null) {
            i = (i + 1) & mask;
        }
        t[i] = entry;
    }

    /**
     * Not {@link Arrays#hashCode(byte[])}: with a base of 31 and id characters spanning 75 code points, ids of
     * one second differ by multiples of 31 that cancel out (which is what made {@code HashMap} treeify).
     */
    private static int hash(byte[] id) {
        long h = 0;
        for (byte b : id) {
            h = (h + (b & 0xff)) * 0x9E3779B97F4A7C15L;
        }
        return (int) (h ^ (h >>> 32));
    }
}
