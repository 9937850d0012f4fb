package dev.sluice.delivery.smtp;

import dev.sluice.api.ratelimit.PathKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idle sessions waiting for the next message to the same path and hop. A session is either idle here or
 * owned by exactly one delivery; an idle one is closed with QUIT after the idle timeout, found by the
 * runtime's sweep ({@link #expireIdle}) rather than by a timer per release.
 *
 * <p>An idle session keeps its connection slot: the receiver counts it as a connection too (PowerMTA and KumoMTA
 * count idle connections against the connection limit as well). It gives the slot up when another hop of the path
 * needs it ({@link #evictOne}), when another node sharing the limit waits for one ({@code wanted}, checked by the
 * same sweep), and at the latest after the idle timeout.
 */
final class ConnectionPool {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionPool.class);
    private final ClientRuntime rt;
    private final Map<PoolKey, Deque<SmtpConnection>> idle = new HashMap<>();
    /** When each idle session expires (System.nanoTime()). */
    private final Map<SmtpConnection, Long> expiry = new IdentityHashMap<>();
    private boolean closed;

    ConnectionPool(ClientRuntime rt) {
        this.rt = rt;
    }

    /** An idle open session for the key, now owned by the caller; null when there is none. */
    synchronized SmtpConnection take(PoolKey key) {
        Deque<SmtpConnection> q = idle.get(key);
        while (q != null && !q.isEmpty()) {
            SmtpConnection c = q.pollLast();
            expiry.remove(c);
            if (c.isOpen()) {
                cleanup(key, q);
                return c;
            }
        }
        cleanup(key, q);
        return null;
    }

    /** Gives a session back after a delivery; it is closed instead when it may carry no more messages. */
    void release(SmtpConnection c) {
        int max = Math.max(1, safeMaxMessages(c.key.path()));
        boolean keep;
        synchronized (this) {
            keep = !closed && c.isOpen() && c.messages < max;
            if (keep) {
                idle.computeIfAbsent(c.key, k -> new ArrayDeque<>()).addLast(c);
                expiry.put(c, System.nanoTime() + rt.settings.idleTimeout().toNanos());
            }
        }
        if (!keep) {
            c.quit();
        }
    }

    /** Closes one idle session of the path so that its slot can serve another hop; null when none is idle. */
    CompletableFuture<Void> evictOne(PathKey path) {
        SmtpConnection victim = null;
        synchronized (this) {
            for (var e : idle.entrySet()) {
                if (e.getKey().path().equals(path) && !e.getValue().isEmpty()) {
                    victim = e.getValue().pollFirst();
                    expiry.remove(victim);
                    cleanup(e.getKey(), e.getValue());
                    break;
                }
            }
        }
        if (victim == null) {
            return null;
        }
        victim.close();
        return victim.closed;
    }

    /** The session ended on its own (server timeout, 421): it is no longer available. */
    synchronized void forget(SmtpConnection c) {
        Deque<SmtpConnection> q = idle.get(c.key);
        if (q != null && q.remove(c)) {
            expiry.remove(c);
            cleanup(c.key, q);
        }
    }

    void closeAll() {
        List<SmtpConnection> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.values().forEach(all::addAll);
            idle.clear();
            expiry.clear();
        }
        all.forEach(SmtpConnection::close);
    }

    /**
     * Ends the sessions idle for longer than the idle timeout, and those whose slot another node waits for (the
     * runtime's sweep calls this).
     */
    void expireIdle(long now) {
        List<SmtpConnection> expired = new ArrayList<>();
        List<SmtpConnection> stillIdle;
        synchronized (this) {
            if (expiry.isEmpty()) {
                return;
            }
            for (var it = expiry.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (now - e.getValue() >= 0) {
                    SmtpConnection c = e.getKey();
                    it.remove();
                    Deque<SmtpConnection> q = idle.get(c.key);
                    if (q != null && q.remove(c)) {
                        cleanup(c.key, q);
                        expired.add(c);
                    }
                }
            }
            stillIdle = new ArrayList<>(expiry.keySet());
        }
        // asked outside the lock: the answer may come from Redis
        for (SmtpConnection c : stillIdle) {
            if (c.wanted() && remove(c)) {
                LOG.debug("closing an idle connection to {}: another node waits for a slot on {}", c.where,
                        c.key.path());
                expired.add(c);
            }
        }
        expired.forEach(SmtpConnection::quit);
    }

    /** Takes an idle session out of the pool; false when it is no longer idle (taken or gone meanwhile). */
    private synchronized boolean remove(SmtpConnection c) {
        Deque<SmtpConnection> q = idle.get(c.key);
        if (q == null || !q.remove(c)) {
            return false;
        }
        expiry.remove(c);
        cleanup(c.key, q);
        return true;
    }

    private int safeMaxMessages(PathKey path) {
        try {
            return rt.shaper.limits(path).maxMessagesPerConnection();
        } catch (RuntimeException e) {
            return 1;
        }
    }

    private void cleanup(PoolKey key, Deque<SmtpConnection> q) {
        if (q != null && q.isEmpty()) {
            idle.remove(key);
        }
    }
}
