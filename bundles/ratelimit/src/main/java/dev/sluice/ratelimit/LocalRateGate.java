package dev.sluice.ratelimit;

import dev.sluice.api.ratelimit.Rate;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Buckets in this JVM. Full buckets are forgotten now and then, so the map holds only busy keys; a take racing
 * with that sweep can at worst grant one permit more than the rate, which is not worth a lock.
 */
final class LocalRateGate implements RateGate {

    private static final int SWEEP_EVERY = 4096;

    private final ConcurrentHashMap<String, Gcra> buckets = new ConcurrentHashMap<>();

    @Override
    public boolean tryTake(String key, Rate rate, long burst, Instant now) {
        long micros = RateGate.micros(now);
        sweepSometimes(micros);
        return buckets.computeIfAbsent(key, k -> new Gcra())
                .tryTake(micros, Gcra.intervalMicros(rate), Gcra.toleranceMicros(rate, burst));
    }

    @Override
    public Instant next(String key, Rate rate, long burst, Instant now) {
        Gcra bucket = buckets.get(key);
        long micros = RateGate.micros(now);
        return bucket == null ? now : RateGate.instant(bucket.nextMicros(micros, Gcra.toleranceMicros(rate, burst)));
    }

    private void sweepSometimes(long nowMicros) {
        if (ThreadLocalRandom.current().nextInt(SWEEP_EVERY) == 0) { // sampled: a shared counter would be contended
            buckets.values().removeIf(b -> b.idle(nowMicros));
        }
    }

    int size() {
        return buckets.size();
    }

    @Override
    public void close() {
        buckets.clear();
    }
}
