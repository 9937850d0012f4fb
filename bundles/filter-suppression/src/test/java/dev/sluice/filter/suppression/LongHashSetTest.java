package dev.sluice.filter.suppression;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LongHashSetTest {

    @Test
    void behavesLikeASetUnderRandomAddsAndRemoves() {
        Random random = new Random(42);
        LongHashSet set = new LongHashSet(0);
        Set<Long> reference = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            // a small key space makes long probe runs and many removals inside them
            long key = random.nextInt(5_000) * 0x9E3779B97F4A7C15L;
            if (random.nextInt(3) == 0) {
                assertEquals(reference.remove(key), set.remove(key), "remove " + key);
            } else {
                assertEquals(reference.add(key), set.add(key), "add " + key);
            }
            if (i % 1000 == 0) {
                for (long k = 0; k < 5_000; k++) {
                    long probe = k * 0x9E3779B97F4A7C15L;
                    assertEquals(reference.contains(probe), set.contains(probe), "contains " + probe);
                }
            }
        }
        assertEquals(reference.size(), set.size());
    }

    @Test
    void keysThatCollideOnTheirSlotAreAllKeptAndRemovedOneByOne() {
        LongHashSet set = new LongHashSet(0); // 16 slots: these keys share slot 0 and wrap around the table
        long[] keys = {16, 32, 48, 64, 80, 96, 0, 1L << 40};
        for (long k : keys) {
            set.add(k);
        }
        set.remove(32);
        for (long k : keys) {
            assertEquals(k != 32, set.contains(k), "key " + k);
        }
        assertEquals(keys.length - 1, set.size());
    }
}
