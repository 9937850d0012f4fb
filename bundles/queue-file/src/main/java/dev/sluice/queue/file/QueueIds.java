package dev.sluice.queue.file;

import java.time.Clock;

/**
 * Queue ids: 8 base62 digits of epoch milliseconds then 3 of a per-millisecond sequence, so that ids sort
 * by acceptance time as strings and fit a {@code long} key (millis * 62^3 + seq) for the compact index.
 */
final class QueueIds {

    static final int LENGTH = 11;
    static final long SEQ_RANGE = 62L * 62 * 62;
    private static final String DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final Clock clock;
    private long lastMillis;
    private long seq;

    QueueIds(Clock clock) {
        this.clock = clock;
    }

    /** Strictly increasing within one process even if the clock steps back. */
    synchronized long next() {
        long now = clock.millis();
        if (now > lastMillis) {
            lastMillis = now;
            seq = 0;
        } else if (++seq == SEQ_RANGE) {
            lastMillis++;
            seq = 0;
        }
        return lastMillis * SEQ_RANGE + seq;
    }

    static long millis(long key) {
        return key / SEQ_RANGE;
    }

    static String format(long key) {
        char[] out = new char[LENGTH];
        long seqPart = key % SEQ_RANGE;
        long millisPart = key / SEQ_RANGE;
        for (int i = LENGTH - 1; i >= 8; i--) {
            out[i] = DIGITS.charAt((int) (seqPart % 62));
            seqPart /= 62;
        }
        for (int i = 7; i >= 0; i--) {
            out[i] = DIGITS.charAt((int) (millisPart % 62));
            millisPart /= 62;
        }
        return new String(out);
    }

    /** The key of an id this queue made, or -1 for anything else (which can then not be in the queue). */
    static long parse(String id) {
        if (id.length() != LENGTH) {
            return -1;
        }
        long millis = 0;
        long seq = 0;
        for (int i = 0; i < LENGTH; i++) {
            int d = DIGITS.indexOf(id.charAt(i));
            if (d < 0) {
                return -1;
            }
            if (i < 8) {
                millis = millis * 62 + d;
            } else {
                seq = seq * 62 + d;
            }
        }
        return millis > Long.MAX_VALUE / SEQ_RANGE - 1 ? -1 : millis * SEQ_RANGE + seq;
    }
}
