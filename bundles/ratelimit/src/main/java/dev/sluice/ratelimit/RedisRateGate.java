package dev.sluice.ratelimit;

import dev.sluice.api.ratelimit.Rate;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Buckets shared by every node through Redis: the same cell-rate algorithm as {@link Gcra}, run atomically in a
 * Lua script. While Redis is unreachable each node takes its local share (the rate divided by the expected nodes),
 * so together they stay within the budget; Redis is tried again after the retry interval.
 */
final class RedisRateGate implements RateGate {

    private static final Logger LOG = LoggerFactory.getLogger(RedisRateGate.class);
    private static final String PREFIX = "sluice:rl:";
    private static final String SUSPENSIONS = "sluice:susp:";
    // Numbers leave Lua through string.format: tostring() would print micros since the epoch as 1.7e+15.
    private static final String SCRIPT = """
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

    private final String where;
    private final JedisPooled redis;
    private final LocalRateGate local = new LocalRateGate();
    private final int nodes;
    private final Duration retry;
    private final Clock clock;
    private final AtomicLong downUntil = new AtomicLong(Long.MIN_VALUE);
    private volatile String sha;

    RedisRateGate(String uri, int nodes, int timeoutMillis, Duration retry, Clock clock) {
        URI u;
        try {
            u = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("redisUri: '" + uri + "' is not a URI: " + e.getMessage(), e);
        }
        if (!"redis".equals(u.getScheme()) && !"rediss".equals(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException("redisUri: '" + uri + "' is not redis://host:port[/db]");
        }
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(64);
        pool.setMaxWait(Duration.ofMillis(timeoutMillis));
        pool.setJmxEnabled(false);
        this.where = u.getHost() + ":" + u.getPort();
        this.redis = new JedisPooled(pool, u, timeoutMillis);
        this.nodes = nodes;
        this.retry = retry;
        this.clock = clock;
    }

    @Override
    public boolean tryTake(String key, Rate rate, long burst, Instant now) {
        if (!down()) {
            try {
                return "1".equals(text(run(key, rate, burst, now, "take").get(0)));
            } catch (JedisException e) {
                markDown(e);
            }
        }
        return local.tryTake(key, share(rate), Math.max(1, burst / nodes), now);
    }

    @Override
    public Instant next(String key, Rate rate, long burst, Instant now) {
        if (!down()) {
            try {
                return RateGate.instant(Long.parseLong(text(run(key, rate, burst, now, "peek").get(1))));
            } catch (JedisException e) {
                markDown(e);
            }
        }
        return local.next(key, share(rate), Math.max(1, burst / nodes), now);
    }

    @Override
    public Map<String, String> records(String site) {
        if (down()) {
            return null;
        }
        try {
            Map<String, String> out = redis.hgetAll(SUSPENSIONS + site);
            markUp();
            return out;
        } catch (JedisException e) {
            markDown(e);
            return null;
        }
    }

    @Override
    public boolean putRecord(String site, String field, String value, Duration ttl) {
        if (down()) {
            return false;
        }
        try {
            redis.eval(PUT, List.of(SUSPENSIONS + site), List.of(field, value, Long.toString(ttl.toMillis())));
            markUp();
            return true;
        } catch (JedisException e) {
            markDown(e);
            return false;
        }
    }

    @Override
    public void dropRecords(String site) {
        // not skipped while down: an operator's resume is worth one more attempt
        try {
            redis.del(SUSPENSIONS + site);
            markUp();
        } catch (JedisException e) {
            markDown(e);
            LOG.warn("ratelimit: could not cancel the shared suspensions of {} in Redis; other nodes keep them "
                    + "until they expire", site);
        }
    }

    private List<?> run(String key, Rate rate, long burst, Instant now, String mode) {
        List<String> args = List.of(Long.toString(RateGate.micros(now)), Long.toString(Gcra.intervalMicros(rate)),
                Long.toString(Gcra.toleranceMicros(rate, burst)), mode);
        List<String> keys = List.of(PREFIX + key);
        Object out;
        try {
            String s = sha;
            out = s == null ? load(keys, args) : redis.evalsha(s, keys, args);
        } catch (JedisNoScriptException e) {
            out = load(keys, args); // Redis restarted and lost its script cache
        }
        markUp();
        return (List<?>) out;
    }

    private Object load(List<String> keys, List<String> args) {
        sha = redis.scriptLoad(SCRIPT);
        return redis.evalsha(sha, keys, args);
    }

    /** Jedis hands script results back as String, Long or byte[] depending on the call; all mean the same text. */
    private static String text(Object o) {
        return o instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.US_ASCII) : String.valueOf(o);
    }

    /** While down, the node's share: the same count over a period {@code nodes} times as long. */
    private Rate share(Rate rate) {
        return nodes == 1 ? rate : new Rate(rate.permits(), rate.period().multipliedBy(nodes));
    }

    private boolean down() {
        long until = downUntil.get();
        if (until == Long.MIN_VALUE) {
            return false;
        }
        long now = RateGate.micros(clock.instant());
        // one caller probes Redis when the retry interval is over; the others stay local meanwhile
        return now < until || !downUntil.compareAndSet(until, now + retry.toNanos() / 1000);
    }

    private void markDown(JedisException e) {
        long until = RateGate.micros(clock.instant()) + retry.toNanos() / 1000;
        if (downUntil.getAndSet(until) == Long.MIN_VALUE) {
            LOG.warn("ratelimit: Redis at {} unreachable ({}); each node now takes 1/{} of every budget until it "
                    + "returns", where, e.getMessage(), nodes);
        }
    }

    private void markUp() {
        if (downUntil.get() != Long.MIN_VALUE && downUntil.getAndSet(Long.MIN_VALUE) != Long.MIN_VALUE) {
            LOG.warn("ratelimit: Redis at {} is back; budgets are shared again", where);
        }
    }

    boolean shared() {
        return downUntil.get() == Long.MIN_VALUE;
    }

    @Override
    public void close() {
        redis.close();
        local.close();
    }
}
