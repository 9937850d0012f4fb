package dev.sluice.ratelimit;

import dev.sluice.api.ratelimit.Rate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buckets, connection slots and suspension records shared by every node through Redis. Buckets run the cell-rate
 * algorithm of {@link Gcra} atomically in a Lua script. While Redis is unreachable each node takes its local share
 * (rates and connection limits divided by the expected nodes), so that together they stay within the budget.
 */
final class RedisRateGate implements RateGate {

    private static final Logger LOG = LoggerFactory.getLogger(RedisRateGate.class);
    private static final String PREFIX = "sluice:rl:";
    private static final String SUSPENSIONS = "sluice:susp:";
    // Numbers leave Lua through string.format: tostring() would print micros since the epoch as 1.7e+15.
    private static final String BUCKET = """
            local now = tonumber(ARGV[1])
            local interval = tonumber(ARGV[2])
            local tol = tonumber(ARGV[3])
            local tat = tonumber(redis.call('GET', KEYS[1])) or now
            if tat < now then tat = now end
            if ARGV[4] == 'peek' then return {0, string.format('%.0f', math.max(now, tat - tol))} end
            if tat - now > tol then return {0, string.format('%.0f', tat - tol)} end
            local new = tat + interval
            redis.call('SET', KEYS[1], string.format('%.0f', new), 'PX', string.format('%.0f', (new - now) / 1000 + 1000))
            return {1, string.format('%.0f', new - tol)}
            """;
    // keeps the hash alive as long as its longest record; HSET alone would not, PEXPIRE alone could shorten it
    private static final String PUT = """
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
            return 1
            """;

    private final RedisLink link;
    private final RedisSlots slots;
    private final LocalRateGate local = new LocalRateGate();
    private final int nodes;
    private final Clock clock;

    RedisRateGate(String uri, int nodes, int timeoutMillis, Duration retry, Clock clock) {
        this.link = new RedisLink(uri, nodes, timeoutMillis, retry, clock);
        this.slots = new RedisSlots(link, clock);
        this.nodes = nodes;
        this.clock = clock;
        onShared(() -> { });
    }

    @Override
    public boolean tryTake(String key, Rate rate, long burst, Instant now) {
        List<?> r = bucket(key, rate, burst, now, "take");
        return r == null ? local.tryTake(key, share(rate), Math.max(1, burst / nodes), now)
                : "1".equals(RedisLink.text(r.get(0)));
    }

    @Override
    public Instant next(String key, Rate rate, long burst, Instant now) {
        List<?> r = bucket(key, rate, burst, now, "peek");
        return r == null ? local.next(key, share(rate), Math.max(1, burst / nodes), now)
                : RateGate.instant(Long.parseLong(RedisLink.text(r.get(1))));
    }

    private List<?> bucket(String key, Rate rate, long burst, Instant now, String mode) {
        List<String> args = List.of(Long.toString(RateGate.micros(now)), Long.toString(Gcra.intervalMicros(rate)),
                Long.toString(Gcra.toleranceMicros(rate, burst)), mode);
        return link.call(redis -> (List<?>) link.script(redis, BUCKET, List.of(PREFIX + key), args), null);
    }

    /** While down, the node's share: the same count over a period {@code nodes} times as long. */
    private Rate share(Rate rate) {
        return nodes == 1 ? rate : new Rate(rate.permits(), rate.period().multipliedBy(nodes));
    }

    @Override
    public String acquireSlot(String key, int max, Instant now) {
        return slots.acquire(key, max, now);
    }

    @Override
    public void releaseSlot(String key, String lease) {
        slots.release(key, lease);
    }

    @Override
    public boolean distributed() {
        return true;
    }

    @Override
    public String adoptSlot(String key, Instant now) {
        return slots.adopt(key, now);
    }

    /** When Redis is back, this node's leases are written again first (a restart may have lost them). */
    @Override
    public void onShared(Runnable action) {
        link.onUp(() -> {
            slots.reassert(clock.instant());
            action.run();
        });
    }

    @Override
    public int localShare(int max) {
        return link.shared() ? max : Math.max(1, max / nodes);
    }

    @Override
    public Map<String, String> records(String site) {
        return link.call(redis -> redis.hgetAll(SUSPENSIONS + site), null);
    }

    @Override
    public boolean putRecord(String site, String field, String value, Duration ttl) {
        return link.call(redis -> {
            redis.eval(PUT, List.of(SUSPENSIONS + site), List.of(field, value, Long.toString(ttl.toMillis())));
            return true;
        }, false);
    }

    @Override
    public void dropRecords(String site) {
        if (link.call(redis -> redis.del(SUSPENSIONS + site), null) == null) {
            LOG.warn("ratelimit: could not cancel the shared suspensions of {} in Redis ({}); other nodes keep "
                    + "them until they expire", site, link.where());
        }
    }

    boolean shared() {
        return link.shared();
    }

    @Override
    public void close() {
        link.close();
        local.close();
    }
}
