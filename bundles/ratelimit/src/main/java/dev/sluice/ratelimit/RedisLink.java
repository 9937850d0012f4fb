package dev.sluice.ratelimit;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The connection pool to Redis and whether Redis is reachable. After a failure every call answers "unreachable" at
 * once until the retry interval is over; then one caller probes, so an outage costs one timeout per interval.
 */
final class RedisLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);

    private final String where;
    private final JedisPooled redis;
    private final int nodes;
    private final Duration retry;
    private final Clock clock;
    private final AtomicLong downUntil = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong lastFailure = new AtomicLong(Long.MIN_VALUE);
    private final ConcurrentHashMap<String, String> shas = new ConcurrentHashMap<>();
    private volatile Runnable onUp = () -> { };
    /** The thread writing this node's part back after an outage; every other thread stays local until it is done. */
    private volatile Thread recovering;

    RedisLink(String uri, int nodes, int timeoutMillis, Duration retry, Clock clock) {
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
        this.redis = new JedisPooled(pool, u, timeoutMillis); // connects lazily: activation never waits for Redis
        this.nodes = nodes;
        this.retry = retry;
        this.clock = clock;
    }

    int nodes() {
        return nodes;
    }

    /** The result of {@code op}, or {@code whenDown} if Redis is (or just turned out to be) unreachable. */
    <T> T call(Function<JedisPooled, T> op, T whenDown) {
        boolean recovery = recovering == Thread.currentThread();
        if (!recovery && (recovering != null || down())) {
            return whenDown;
        }
        try {
            if (!recovery && !shared()) {
                // the probe after an outage: what this node did meanwhile is written back before anything new counts
                redis.ping();
                recover();
            }
            return op.apply(redis);
        } catch (JedisException e) {
            markDown(e);
            return whenDown;
        }
    }

    /** Runs a Lua script by its SHA, loading it first when Redis does not know it (yet, or since a restart). */
    Object script(JedisPooled redis, String script, List<String> keys, List<String> args) {
        String sha = shas.get(script);
        if (sha != null) {
            try {
                return redis.evalsha(sha, keys, args);
            } catch (JedisNoScriptException e) {
                // Redis restarted and lost its script cache: load it again below
            }
        }
        sha = redis.scriptLoad(script);
        shas.put(script, sha);
        return redis.evalsha(sha, keys, args);
    }

    /** Jedis hands script results back as String, Long or byte[] depending on the call; all mean the same text. */
    static String text(Object o) {
        return o instanceof byte[] b ? new String(b, StandardCharsets.US_ASCII) : String.valueOf(o);
    }

    boolean shared() {
        return downUntil.get() == Long.MIN_VALUE;
    }

    private boolean down() {
        long until = downUntil.get();
        if (until == Long.MIN_VALUE) {
            return false;
        }
        long now = RateGate.micros(clock.instant());
        return now < until || !downUntil.compareAndSet(until, now + retry.toNanos() / 1000);
    }

    private void markDown(JedisException e) {
        long now = RateGate.micros(clock.instant());
        lastFailure.set(now);
        long until = now + retry.toNanos() / 1000;
        if (downUntil.getAndSet(until) == Long.MIN_VALUE) {
            LOG.warn("ratelimit: Redis at {} unreachable ({}); each node now takes 1/{} of every budget until it "
                    + "returns", where, e.getMessage(), nodes);
        }
    }

    /** Runs {@code action} (on the calling thread) each time Redis answers again after an outage. */
    void onUp(Runnable action) {
        this.onUp = action;
    }

    /**
     * Redis answers again: {@code onUp} writes this node's part back while the other threads still count locally,
     * so that none of them takes a shared slot from a count that lacks this node's connections.
     */
    private void recover() {
        long failed = lastFailure.get();
        LOG.warn("ratelimit: Redis at {} is back; budgets are shared again", where);
        recovering = Thread.currentThread();
        try {
            onUp.run();
        } catch (RuntimeException e) {
            LOG.warn("ratelimit: could not count the connections opened while Redis was unreachable", e);
        } finally {
            recovering = null;
        }
        if (lastFailure.get() == failed) {
            downUntil.set(Long.MIN_VALUE);
        } // else gone again meanwhile: the next probe starts over
    }

    /** When a call last failed (micros since the epoch); Redis was unreachable then. */
    long lastFailure() {
        return lastFailure.get();
    }

    Duration retry() {
        return retry;
    }

    String where() {
        return where;
    }

    @Override
    public void close() {
        redis.close();
    }
}
