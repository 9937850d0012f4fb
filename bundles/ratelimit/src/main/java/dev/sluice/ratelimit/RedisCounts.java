package dev.sluice.ratelimit;

import java.time.Duration;
import java.util.List;

/**
 * Day counters shared by every node (warm-up volumes): a hash per counter with each node's part and their total, so
 * that after a Redis restart without persistence every node can write its part again and the total follows.
 */
final class RedisCounts {

    private static final String PREFIX = "sluice:count:";
    private static final String COUNT = """
            local total = tonumber(redis.call('HGET', KEYS[1], 'total')) or 0
            if total >= tonumber(ARGV[2]) then return {0, total} end
            redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
            total = redis.call('HINCRBY', KEYS[1], 'total', 1)
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return {1, total}
            """;
    // adds what the node counted on its own, and raises its part to what it knows Redis had of it (a restart without
    // persistence forgot it); never lowers a part, so counts made meanwhile by the node's other threads stay
    private static final String RESTORE = """
            local part = tonumber(redis.call('HGET', KEYS[1], ARGV[1])) or 0
            local new = part + tonumber(ARGV[2])
            if new < tonumber(ARGV[3]) then new = tonumber(ARGV[3]) end
            if new > part then
              redis.call('HSET', KEYS[1], ARGV[1], new)
              redis.call('HINCRBY', KEYS[1], 'total', new - part)
            end
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            return 1
            """;

    private final RedisLink link;
    private final String node;

    RedisCounts(RedisLink link, String node) {
        this.link = link;
        this.node = node; // a UUID: never the field "total"
    }

    /** {counted 1 or 0, total after}; null when Redis cannot say. */
    long[] countUpTo(String key, long budget, Duration ttl) {
        List<String> args = List.of(node, Long.toString(budget), Long.toString(ttl.toMillis()));
        List<?> r = link.call(redis -> (List<?>) link.script(redis, COUNT, List.of(PREFIX + key), args), null);
        return r == null ? null : new long[] {Long.parseLong(RedisLink.text(r.get(0))),
                Long.parseLong(RedisLink.text(r.get(1)))};
    }

    boolean restore(String key, long add, long atLeast, Duration ttl) {
        List<String> args = List.of(node, Long.toString(add), Long.toString(atLeast), Long.toString(ttl.toMillis()));
        return link.call(redis -> link.script(redis, RESTORE, List.of(PREFIX + key), args) != null, false);
    }
}
