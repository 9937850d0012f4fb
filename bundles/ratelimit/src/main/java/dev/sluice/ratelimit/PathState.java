package dev.sluice.ratelimit;

import dev.sluice.api.ratelimit.PathKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Everything one egress path keeps between calls. Each path has its own, so paths never contend. */
final class PathState {

    final PathKey key;
    final String connectionBucket;
    final String messageBucket;
    final AtomicInteger open = new AtomicInteger();
    final AtomicReference<Adjustment> adjustment = new AtomicReference<>();
    /** Open connections that are not in the shared count: opened while Redis was unreachable. */
    final Set<Permit> unleased = ConcurrentHashMap.newKeySet();
    final MinuteCounter messages = new MinuteCounter();
    final MinuteCounter deferrals = new MinuteCounter();
    /** No new connection to be had before this (slots taken, connection rate), as the last message needing one found. */
    volatile Instant connectionWait;
    private final Object wantLock = new Object();
    private long wantCheckedMicros = Long.MIN_VALUE;
    private boolean wantSeen;
    private volatile Resolved resolved;
    private final Map<String, ArrayDeque<Instant>> matches = new HashMap<>();
    /**
     * Held while a reply is counted and its backoff decided and applied; not this object's own monitor, as the
     * decision may wait for Redis and the sweep asks {@link #quiet} meanwhile.
     */
    final Object backoffDecision = new Object();

    private record Resolved(RuleBook book, ShapingRule rule) { }

    PathState(PathKey key) {
        this.key = key;
        this.connectionBucket = "conn|" + key;
        this.messageBucket = "msg|" + key;
    }

    /** The rule for this path in {@code book}, resolved once per book rather than on every call. */
    ShapingRule rule(RuleBook book) {
        Resolved r = resolved;
        if (r == null || r.book != book) {
            r = new Resolved(book, book.resolve(key.site(), key.source()));
            resolved = r;
        }
        return r.rule;
    }

    /**
     * True when another node waits for one of this path's slots: looked up at most once per {@code every}, and
     * answered true only once per look-up, so that one waiting node costs this node one idle connection at a time.
     */
    boolean claimWanted(RateGate gate, Instant now, Duration every) {
        synchronized (wantLock) {
            long t = RateGate.micros(now);
            if (wantCheckedMicros == Long.MIN_VALUE || t - wantCheckedMicros >= every.toNanos() / 1000) {
                wantCheckedMicros = t;
                wantSeen = gate.slotWanted(connectionBucket);
            }
            boolean wanted = wantSeen;
            wantSeen = false;
            return wanted;
        }
    }

    /** Records a match of {@code rule} and says whether it now has {@code count} matches within {@code window}. */
    synchronized boolean countMatch(String rule, Instant now, int count, Duration window) {
        ArrayDeque<Instant> q = matches.computeIfAbsent(rule, k -> new ArrayDeque<>());
        q.addLast(now);
        Instant oldest = now.minus(window);
        while (!q.isEmpty() && !q.peekFirst().isAfter(oldest)) {
            q.pollFirst();
        }
        if (q.size() >= count) {
            q.clear();
            return true;
        }
        return false;
    }

    /** True when no backoff match since {@code since} is still being counted. */
    synchronized boolean quiet(Instant since) {
        return matches.values().stream().allMatch(q -> q.isEmpty() || q.peekLast().isBefore(since));
    }

    synchronized void forgetMatches() {
        matches.clear();
    }
}
