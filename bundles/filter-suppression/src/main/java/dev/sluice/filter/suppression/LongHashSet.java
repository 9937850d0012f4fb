package dev.sluice.filter.suppression;

/**
 * A set of 64-bit keys in one {@code long[]} (open addressing, linear probing): 8 bytes per slot, so ten million
 * entries take 128 MB where a {@code HashSet<String>} would take well over a gigabyte. Not thread-safe.
 */
final class LongHashSet {

    private static final long EMPTY = 0;
    private static final int MAX_CAPACITY = 1 << 30;

    private long[] slots;
    private int size;

    LongHashSet(int expected) {
        int capacity = 16;
        while (capacity * 3L / 4 < expected && capacity < MAX_CAPACITY) {
            capacity <<= 1;
        }
        slots = new long[capacity];
    }

    int size() {
        return size;
    }

    boolean contains(long key) {
        key = nonEmpty(key);
        int mask = slots.length - 1;
        for (int i = index(key, mask); ; i = (i + 1) & mask) {
            long k = slots[i];
            if (k == key) {
                return true;
            }
            if (k == EMPTY) {
                return false;
            }
        }
    }

    /** True when the key was not there before. */
    boolean add(long key) {
        key = nonEmpty(key);
        if ((size + 1) * 4L > slots.length * 3L) {
            grow();
        }
        int mask = slots.length - 1;
        int i = index(key, mask);
        while (slots[i] != EMPTY) {
            if (slots[i] == key) {
                return false;
            }
            i = (i + 1) & mask;
        }
        slots[i] = key;
        size++;
        return true;
    }

    /** True when the key was there. Closes the gap by moving later keys of the run back (no tombstones). */
    boolean remove(long key) {
        key = nonEmpty(key);
        int mask = slots.length - 1;
        int i = index(key, mask);
        while (slots[i] != key) {
            if (slots[i] == EMPTY) {
                return false;
            }
            i = (i + 1) & mask;
        }
        int gap = i;
        for (int j = (gap + 1) & mask; slots[j] != EMPTY; j = (j + 1) & mask) {
            int home = index(slots[j], mask);
            // move slots[j] into the gap unless its home lies cyclically in (gap, j]
            if (((j - home) & mask) >= ((j - gap) & mask)) {
                slots[gap] = slots[j];
                gap = j;
            }
        }
        slots[gap] = EMPTY;
        size--;
        return true;
    }

    private void grow() {
        if (slots.length >= MAX_CAPACITY) {
            throw new IllegalStateException("suppression list full (" + size + " entries)");
        }
        long[] old = slots;
        slots = new long[old.length * 2];
        int mask = slots.length - 1;
        for (long k : old) {
            if (k != EMPTY) {
                int i = index(k, mask);
                while (slots[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                slots[i] = k;
            }
        }
    }

    private static long nonEmpty(long key) {
        return key == EMPTY ? 1 : key;
    }

    private static int index(long key, int mask) {
        // keys are already uniform (SHA-256 bits); fold the high half in anyway
        return (int) (key ^ (key >>> 32)) & mask;
    }
}
