package dev.sluice.ratelimit;

import java.time.Instant;

/** Events in the last 60 seconds, in one-second slots; for operators, not for limiting. */
final class MinuteCounter {

    private final long[] seconds = new long[60];
    private final long[] counts = new long[60];

    synchronized void add(Instant now) {
        long s = now.getEpochSecond();
        int slot = (int) Math.floorMod(s, 60L);
        if (seconds[slot] != s) {
            seconds[slot] = s;
            counts[slot] = 0;
        }
        counts[slot]++;
    }

    synchronized long lastMinute(Instant now) {
        long s = now.getEpochSecond();
        long sum = 0;
        for (int i = 0; i < 60; i++) {
            if (s - seconds[i] < 60 && s >= seconds[i]) {
                sum += counts[i];
            }
        }
        return sum;
    }
}
