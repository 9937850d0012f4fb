package dev.sluice.ratelimit;

import dev.sluice.api.ratelimit.Rate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buckets, connection slots, warm-up counts and suspension records shared by every node through Redis. Buckets run
 * the cell-rate algorithm of {@link Gcra} atomically in a Lua script, several at once when a message takes from more
 * than one. While Redis is unreachable each node takes its local share
 * (rates and connection limits divided by the expected nodes), so that together they stay within the budget.
 */
final class RedisRateGate implements RateGate {

    private static final Logger LOG = LoggerFactory.getLogger(RedisRateGate.class);
    private static final String PREFIX = "sluice:rl:";
    private static final String SUSPENSIONS = "sluice:susp:";
    // Numbers leave Lua through string.format: tostring() would print micros since the epoch as 1.7e+15.
    // Every bucket (KEYS[i], with interval ARGV[2i+1] and tolerance ARGV[2i+2]) gives a permit, or none does.
    private static final String BUCKETS = """
            local now = tonumber(ARGV[1])
            local tats = {}
            local ready = now
            local ok = true
            for i = 1, #KEYS do
              local tol = tonumber(ARGV[2 * i + 2])
              local tat = tonumber(redis.call('GET', KEYS[i])) or now
              if tat < now then tat = now end
              tats[i] = tat
              if tat - tol > ready then ready = tat - tol end
              if tat - now > tol then ok = false end
            end
            if ARGV[2] == 'peek' or not ok then return {0, string.format('%.0f', ready)} end
            local after = now
            for i = 1, #KEYS do
              local new = tats[i] + tonumber(ARGV[2 * i + 1])
              local tol = tonumber(ARGV[2 * i + 2])
              redis.call('SET', KEYS[i], string.format('%.0f', new), 'PX', string.format('%.0f', (new - now) / 1000 + 1000))
              if new - tol > after then after = new - tol end
            end
            return {1, string.format('%.0f', after)}
            """;
    // keeps the hash alive as long as its longest record; HSET alone would not, PEXPIRE alone could shorten it
    private static final String PUT = """
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
            return 1
            """;

    private final RedisLink link;
    private final RedisSlots slots;
    private final RedisCounts counts;
    private final RecoveryGrace grace;
    private final LocalRateGate local = new LocalRateGate();
    private final int nodes;
    private final Clock clock;

    RedisRateGate(String uri, int nodes, int timeoutMillis, Duration retry, Clock clock) {
        String node = UUID.randomUUID().toString();
        this.link = new RedisLink(uri, nodes, timeoutMillis, retry, clock);
        this.slots = new RedisSlots(link, node, clock);
        this.counts = new RedisCounts(link, node);
        // every node that was cut off probes again within the retry interval of the return, if it has any traffic
        this.grace = new RecoveryGrace(link, node, nodes, retry.multipliedBy(2).plusMillis(timeoutMillis), clock);
        this.nodes = nodes;
        this.clock = clock;
        onShared(() -> { });
    }

    @Override
    public boolean tryTake(String key, Rate rate, long burst, Instant now) {
        return tryTakeAll(List.of(new Bucket(key, rate, burst)), now);
    }

    @Override
    public Instant next(String key, Rate rate, long burst, Instant now) {
        return nextAll(List.of(new Bucket(key, rate, burst)), now);
    }

    @Override
    public boolean tryTakeAll(List<Bucket> buckets, Instant now) {
        List<?> r = buckets(buckets, now, "take");
        return r == null ? local.tryTakeAll(shares(buckets), now) : "1".equals(RedisLink.text(r.get(0)));
    }

    @Override
    public Instant nextAll(List<Bucket> buckets, Instant now) {
        List<?> r = buckets(buckets, now, "peek");
        return r == null ? local.nextAll(shares(buckets), now)
                : RateGate.instant(Long.parseLong(RedisLink.text(r.get(1))));
    }

    /** Read in Redis, or while it is unreachable, from this node's share of the bucket. */
    @Override
    public Fill fill(String key, Rate rate, long burst, Instant now) {
        List<?> r = buckets(List.of(new Bucket(key, rate, 1)), now, "peek");
        if (r == null) {
            Bucket share = shares(List.of(new Bucket(key, rate, burst))).get(0);
            return local.fill(key, share.rate(), share.burst(), now);
        }
        return Fill.of(RateGate.instant(Long.parseLong(RedisLink.text(r.get(1)))), rate, burst, now, true);
    }

    /**
     * One MGET of the buckets' theoretical arrival times, read as the script's peek reads them (a missing or unreadable
     * key is an empty bucket); while Redis is unreachable, this node's shares as {@link #fill} gives them.
     */
    @Override
    public List<Fill> fills(List<Bucket> buckets, Instant now) {
        if (buckets.isEmpty()) {
            return List.of();
        }
        String[] keys = buckets.stream().map(b -> PREFIX + b.key()).toArray(String[]::new);
        List<String> arrivals = link.call(redis -> redis.mget(keys), null);
        if (arrivals == null) {
            return RateGate.super.fills(buckets, now); // each from this node's share
        }
        long nowMicros = RateGate.micros(now);
        List<Fill> out = new ArrayList<>(buckets.size());
        for (int i = 0; i < buckets.size(); i++) {
            Bucket b = buckets.get(i);
            long ready = Math.max(nowMicros, micros(arrivals.get(i), nowMicros) - Gcra.toleranceMicros(b.rate(), 1));
            out.add(Fill.of(RateGate.instant(ready), b.rate(), b.burst(), now, true));
        }
        return out;
    }

    private static long micros(String stored, long orElse) {
        try {
            return stored == null ? orElse : Long.parseLong(stored);
        } catch (NumberFormatException e) {
            return orElse; // what Lua's tonumber() makes of it
        }
    }

    private List<?> buckets(List<Bucket> buckets, Instant now, String mode) {
        List<String> keys = new ArrayList<>(buckets.size());
        List<String> args = new ArrayList<>(2 + 2 * buckets.size());
        args.add(Long.toString(RateGate.micros(now)));
        args.add(mode);
        for (Bucket b : buckets) {
            keys.add(PREFIX + b.key());
            args.add(Long.toString(Gcra.intervalMicros(b.rate())));
            args.add(Long.toString(Gcra.toleranceMicros(b.rate(), b.burst())));
        }
        return link.call(redis -> (List<?>) link.script(redis, BUCKETS, keys, args), null);
    }

    /** While down, the node's share of each bucket: its rate over {@code nodes} times the period, its burst / nodes. */
    private List<Bucket> shares(List<Bucket> buckets) {
        return buckets.stream().map(b -> new Bucket(b.key(), share(b.rate()), Math.max(1, b.burst() / nodes))).toList();
    }

    /** While down, the node's share: the same count over a period {@code nodes} times as long. */
    private Rate share(Rate rate) {
        return nodes == 1 ? rate : new Rate(rate.permits(), rate.period().multipliedBy(nodes));
    }

    @Override
    public String acquireSlot(String key, int max, Instant now) {
        return slots.acquire(key, max, now, trusted());
    }

    @Override
    public void releaseSlot(String key, String lease) {
        slots.release(key, lease, clock.instant(), trusted());
    }

    @Override
    public Boolean slotFree(String key, int max, Instant now) {
        return slots.free(key, max, now, trusted());
    }

    @Override
    public boolean slotWanted(String key) {
        return slots.wanted(key);
    }

    @Override
    public long[] countUpTo(String key, long budget, Duration ttl) {
        return counts.countUpTo(key, budget, ttl);
    }

    @Override
    public boolean restoreCount(String key, long add, long atLeast, Duration ttl) {
        return counts.restore(key, add, atLeast, ttl);
    }

    @Override
    public int nodes() {
        return nodes;
    }

    @Override
    public boolean distributed() {
        return true;
    }

    @Override
    public String adoptSlot(String key, Instant now) {
        return slots.adopt(key, now);
    }

    /**
     * When Redis is back, this node's leases are written again first (a restart may have lost them), then its
     * connections opened meanwhile ({@code action}); then it says it has done so and keeps to its share for a while.
     */
    @Override
    public void onShared(Runnable action) {
        link.onUp(() -> {
            grace.start();
            slots.reassert(clock.instant());
            action.run();
            grace.registered();
        });
    }

    /** The share while Redis is away, and after its return until the other nodes have counted theirs again. */
    @Override
    public int localShare(int max) {
        return trusted() ? max : Math.max(1, max / nodes);
    }

    /**
     * As {@link #localShare(int)}, less what the other nodes held in the shared count when it was last trusted: a
     * node that held more than its share when Redis went keeps those connections until they close.
     */
    @Override
    public int localShare(String key, int max, Instant now) {
        return trusted() ? max : Math.min(Math.max(1, max / nodes), Math.max(0, max - slots.othersSeen(key, now)));
    }

    /** Redis answers and every node's connections are in its count. */
    private boolean trusted() {
        return link.shared() && !grace.active();
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
