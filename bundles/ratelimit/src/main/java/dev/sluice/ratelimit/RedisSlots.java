package dev.sluice.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.params.ZAddParams;

/**
 * Connection slots counted across nodes: a sorted set of leases per path, scored by expiry, so that the slots of a
 * node that dies free themselves. A node renews its leases now and then on the back of its own traffic.
 */
final class RedisSlots {

    static final Duration LEASE = Duration.ofMinutes(5);
    /** How long a node that found every slot taken is known to want one (it asks again well within that). */
    static final Duration WANT = Duration.ofSeconds(3);
    private static final Duration RENEW_EVERY = Duration.ofMinutes(1);
    private static final String PREFIX = "sluice:conn:";
    private static final String WANTED = "sluice:want:";
    // KEYS[1]: the leases, ARGV[3]: this node; counts the other nodes' leases (a node's part of the count, which the
    // others keep in mind for when Redis is away)
    private static final String OTHERS = """
            local others = 0
            for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
              if string.sub(m, 1, #ARGV[3] + 1) ~= ARGV[3] .. ':' then others = others + 1 end
            end
            """;
    // KEYS: the leases; ARGV: the lease, now, this node. Answers {1, the other nodes' leases}, as the next two do.
    private static final String RELEASE = "redis.call('ZREM', KEYS[1], ARGV[1])\n"
            + "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])\n" + OTHERS + "return {1, others}\n";
    // KEYS: the leases, the want flag; ARGV: now, max, this node, how long the flag stands. A node that finds the
    // slots full says so (the others' idle connections then give way).
    private static final String FULL = "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])\n" + OTHERS + """
            if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
              redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
              return {0, others}
            end
            """;
    private static final String PEEK = FULL + "return {1, others}\n";
    // then ARGV: the lease's expiry, the lease, the set's TTL; a node that gets a slot takes its own flag down again
    private static final String ACQUIRE = FULL + """
            redis.call('ZADD', KEYS[1], ARGV[5], ARGV[6])
            redis.call('PEXPIRE', KEYS[1], ARGV[7])
            if redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
            return {1, others}
            """;

    private final RedisLink link;
    private final String node;
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<String, Set<String>> held = new ConcurrentHashMap<>();
    private final AtomicLong renewed = new AtomicLong();
    /** Per path: the other nodes' leases and when (micros) the last trusted answer said so. */
    private final ConcurrentHashMap<String, long[]> seen = new ConcurrentHashMap<>();

    RedisSlots(RedisLink link, String node, Clock clock) {
        this.link = link;
        this.node = node;
        this.renewed.set(RateGate.micros(clock.instant()));
    }

    /**
     * A lease on one of {@code max} slots; null when all are taken; "" when Redis cannot say (count locally).
     * {@code trusted}: every node's connections are in the count, so what the others hold is worth remembering.
     */
    String acquire(String key, int max, Instant now, boolean trusted) {
        renewSometimes(now);
        String lease = node + ":" + ids.incrementAndGet();
        long micros = RateGate.micros(now);
        List<String> args = List.of(Long.toString(micros), Integer.toString(max), node, Long.toString(WANT.toMillis()),
                Long.toString(micros + LEASE.toNanos() / 1000), lease, Long.toString(LEASE.plusMinutes(1).toMillis()));
        Object r = link.call(redis -> link.script(redis, ACQUIRE, List.of(PREFIX + key, WANTED + key), args), null);
        if (r == null) {
            return "";
        }
        if (!granted(key, r, micros, trusted)) {
            return null;
        }
        held.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(lease);
        return lease;
    }

    /** Whether a slot is free now (nothing taken); null when Redis cannot say. A full count raises the want flag. */
    Boolean free(String key, int max, Instant now, boolean trusted) {
        long micros = RateGate.micros(now);
        List<String> args = List.of(Long.toString(micros), Integer.toString(max), node, Long.toString(WANT.toMillis()));
        Object r = link.call(redis -> link.script(redis, PEEK, List.of(PREFIX + key, WANTED + key), args), null);
        return r == null ? null : granted(key, r, micros, trusted);
    }

    private boolean granted(String key, Object answer, long micros, boolean trusted) {
        List<?> r = (List<?>) answer;
        if (trusted) {
            seen.put(key, new long[] {Long.parseLong(RedisLink.text(r.get(1))), micros});
        }
        return "1".equals(RedisLink.text(r.get(0)));
    }

    /**
     * What the other nodes held of {@code key} at the last trusted answer; 0 once a lease time has passed since, as
     * their leases would have expired in Redis too (a node renews them only while it reaches Redis).
     */
    int othersSeen(String key, Instant now) {
        long[] s = seen.get(key);
        return s == null || RateGate.micros(now) - s[1] > LEASE.toNanos() / 1000 ? 0 : (int) s[0];
    }

    /** True when another node raised the want flag of {@code key} within the last {@link #WANT}. */
    boolean wanted(String key) {
        String who = link.call(redis -> redis.get(WANTED + key), null);
        return who != null && !who.equals(node);
    }

    /** A lease for a connection that is open already, past the limit if need be; "" when Redis cannot take it. */
    String adopt(String key, Instant now) {
        String lease = node + ":" + ids.incrementAndGet();
        long expiry = RateGate.micros(now) + LEASE.toNanos() / 1000;
        Object r = link.call(redis -> {
            redis.zadd(PREFIX + key, expiry, lease);
            return redis.pexpire(PREFIX + key, LEASE.plusMinutes(1).toMillis());
        }, null);
        if (r == null) {
            return "";
        }
        held.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(lease);
        return lease;
    }

    void release(String key, String lease, Instant now, boolean trusted) {
        if (lease.isEmpty()) {
            return;
        }
        long micros = RateGate.micros(now);
        Set<String> leases = held.get(key);
        if (leases != null) {
            leases.remove(lease);
        }
        // if Redis is unreachable the lease expires by itself
        Object r = link.call(redis -> link.script(redis, RELEASE, List.of(PREFIX + key),
                List.of(lease, Long.toString(micros), node)), null);
        if (r != null) {
            granted(key, r, micros, trusted);
        }
    }

    /**
     * Writes every lease this node holds again: after a Redis restart without persistence they are gone, and the
     * connections they stand for would not count.
     */
    void reassert(Instant now) {
        write(now, false);
    }

    /** Extends this node's leases when a minute has passed, in the thread of whoever comes along. */
    private void renewSometimes(Instant now) {
        long micros = RateGate.micros(now);
        long last = renewed.get();
        if (micros - last < RENEW_EVERY.toNanos() / 1000 || !renewed.compareAndSet(last, micros)) {
            return;
        }
        write(now, true);
    }

    /** Sets this node's leases to expire a lease time from now; only those Redis still has, or all of them. */
    private void write(Instant now, boolean existingOnly) {
        double expiry = RateGate.micros(now) + LEASE.toNanos() / 1000d;
        held.values().removeIf(Set::isEmpty);
        held.forEach((key, leases) -> {
            Map<String, Double> scores = new HashMap<>();
            leases.forEach(l -> scores.put(l, expiry));
            if (!scores.isEmpty()) {
                link.call(redis -> {
                    redis.zadd(PREFIX + key, scores, existingOnly ? ZAddParams.zAddParams().xx() : ZAddParams.zAddParams());
                    if (!existingOnly) {
                        // a lease given back meanwhile may have been written again: take it out once more
                        scores.keySet().stream().filter(l -> !leases.contains(l)).forEach(l -> redis.zrem(PREFIX + key, l));
                    }
                    return redis.pexpire(PREFIX + key, LEASE.plusMinutes(1).toMillis());
                }, 0L);
            }
        });
    }
}
