package dev.sluice.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After Redis returns (perhaps empty), the shared slot count is right only once every node has written its open
 * connections into it again; a node that used the whole shared limit before that would take, as free, slots that
 * another node's connections still hold. So after a return each node keeps to its local share, on top of the shared
 * count, until every expected node has registered since the outage or the grace period is over.
 */
final class RecoveryGrace {

    private static final Logger LOG = LoggerFactory.getLogger(RecoveryGrace.class);
    private static final String REGISTERED = "sluice:nodes";
    private static final Duration KEEP = Duration.ofDays(1);
    private static final long CHECK_EVERY_MICROS = 250_000;
    private static final long NONE = Long.MIN_VALUE;

    private final RedisLink link;
    private final String node;
    private final int nodes;
    private final Duration grace;
    private final Clock clock;
    /** The last failed call before the return: registrations after it count; NONE when no grace is running. */
    private volatile long since = NONE;
    private volatile long until;
    private final AtomicLong checked = new AtomicLong(NONE);

    RecoveryGrace(RedisLink link, String node, int nodes, Duration grace, Clock clock) {
        this.link = link;
        this.node = node;
        this.nodes = nodes;
        this.grace = grace;
        this.clock = clock;
    }

    /** Redis is back: from now on until the grace ends this node keeps to its share. */
    void start() {
        until = RateGate.micros(clock.instant()) + grace.toNanos() / 1000;
        checked.set(NONE);
        since = link.lastFailure();
    }

    /** This node's connections are in the shared count again: says so to the other nodes. */
    void registered() {
        long now = RateGate.micros(clock.instant());
        link.call(redis -> {
            redis.zadd(REGISTERED, now, node);
            redis.zremrangeByScore(REGISTERED, Double.NEGATIVE_INFINITY, now - KEEP.toNanos() / 1000d);
            return redis.pexpire(REGISTERED, KEEP.toMillis());
        }, 0L);
    }

    /** True while this node must keep to its local share although Redis answers. */
    boolean active() {
        long from = since;
        if (from == NONE) {
            return false;
        }
        long now = RateGate.micros(clock.instant());
        if (now >= until) {
            end(from, "the grace period is over");
            return false;
        }
        long last = checked.get();
        if (last == NONE || now - last >= CHECK_EVERY_MICROS) {
            if (!checked.compareAndSet(last, now)) {
                return true;
            }
            // a node that registered after this node's last failed call did so after Redis returned
            Long n = link.call(redis -> redis.zcount(REGISTERED, "(" + from, "+inf"), null);
            if (n != null && n >= nodes) {
                end(from, "every node has counted its connections again");
                return false;
            }
        }
        return true;
    }

    private void end(long from, String why) {
        if (from != NONE && since == from) {
            since = NONE;
            LOG.info("ratelimit: {}; the full shared connection limits apply again", why);
        }
    }
}
