package dev.sluice.ratelimit;

import dev.sluice.api.ratelimit.Rate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Where token buckets live: in this JVM, or shared by every node through Redis. */
interface RateGate extends AutoCloseable {

    /** Takes one permit from the bucket {@code key} refilled at {@code rate}, allowing bursts of {@code burst}. */
    boolean tryTake(String key, Rate rate, long burst, Instant now);

    /** When {@link #tryTake} on that bucket can next succeed (now if it already can). */
    Instant next(String key, Rate rate, long burst, Instant now);

    /** One of the buckets a message takes a permit from: its path's and, with a tenant rule, its tenant's. */
    record Bucket(String key, Rate rate, long burst) {
        static Bucket of(String key, Rate rate) {
            return new Bucket(key, rate, secondBurst(rate));
        }
    }

    /**
     * Takes one permit from every bucket, or from none: a tenant's token is not spent on a message its path has no
     * token for. Here the check and the takes are separate steps, so two racing callers can at worst spend one
     * permit of a bucket in vain; a shared gate does it in one step.
     */
    default boolean tryTakeAll(List<Bucket> buckets, Instant now) {
        if (buckets.size() == 1) {
            Bucket b = buckets.get(0);
            return tryTake(b.key(), b.rate(), b.burst(), now);
        }
        if (nextAll(buckets, now).isAfter(now)) {
            return false;
        }
        for (Bucket b : buckets) {
            if (!tryTake(b.key(), b.rate(), b.burst(), now)) {
                return false;
            }
        }
        return true;
    }

    /** When {@link #tryTakeAll} can next succeed: the latest of the buckets' next permits. */
    default Instant nextAll(List<Bucket> buckets, Instant now) {
        Instant latest = now;
        for (Bucket b : buckets) {
            Instant t = next(b.key(), b.rate(), b.burst(), now);
            latest = t.isAfter(latest) ? t : latest;
        }
        return latest;
    }

    /**
     * What a bucket holds now, for operators: the permits {@link #tryTake} would grant at once (0 to {@code burst}),
     * the burst it is counted with, when the next permit comes (now when one is there), and whether every node
     * shares it right now.
     */
    record Fill(long available, long burst, Instant next, boolean shared) {

        /** From the bucket's theoretical arrival time: each permit moves it on by one interval. */
        static Fill of(Instant arrival, Rate rate, long burst, Instant now, boolean shared) {
            long backlog = Math.max(0, micros(arrival) - micros(now));
            long interval = Gcra.intervalMicros(rate);
            long tolerance = Gcra.toleranceMicros(rate, burst);
            long available = backlog > tolerance ? 0 : Math.min(burst, (tolerance - backlog) / interval + 1);
            return new Fill(available, burst, available > 0 ? now : now.plusNanos((backlog - tolerance) * 1000), shared);
        }
    }

    /** The bucket's {@link Fill}; one look-up, nothing taken. */
    default Fill fill(String key, Rate rate, long burst, Instant now) {
        // without slack (a burst of one) the next permit is the theoretical arrival time itself
        return Fill.of(next(key, rate, 1, now), rate, burst, now, false);
    }

    /**
     * The {@link Fill}s of many buckets, in their order (an operator's page lists hundreds of tenant budgets): a
     * shared gate reads them in one round trip instead of one each.
     */
    default List<Fill> fills(List<Bucket> buckets, Instant now) {
        return buckets.stream().map(b -> fill(b.key(), b.rate(), b.burst(), now)).toList();
    }

    /**
     * The suspension records every node shares for a site (field: source name, or {@code *} for the operator's),
     * or null when nothing is shared: a local gate, or Redis unreachable.
     */
    default java.util.Map<String, String> records(String site) {
        return null;
    }

    /** Shares a record for at least {@code ttl}; false when it could not be shared. */
    default boolean putRecord(String site, String field, String value, java.time.Duration ttl) {
        return false;
    }

    default void dropRecords(String site) {
    }

    /**
     * A lease on one of {@code max} connection slots counted across nodes: null when all are taken, "" when nothing
     * is shared (the caller's own count, capped by {@link #localShare}, is all there is).
     */
    default String acquireSlot(String key, int max, Instant now) {
        return "";
    }

    default void releaseSlot(String key, String lease) {
    }

    /**
     * Whether one of {@code max} slots is free across nodes now, without taking it; null when nothing is shared. A
     * full count also tells the other nodes that a slot is wanted ({@link #slotWanted}).
     */
    default Boolean slotFree(String key, int max, Instant now) {
        return null;
    }

    /** True when another node has just found every slot of {@code key} taken and waits for one. */
    default boolean slotWanted(String key) {
        return false;
    }

    /**
     * Counts one more in the day counter {@code key} every node shares, unless it has reached {@code budget}:
     * {@code {1 or 0 (counted or not), the total after}}, or null when nothing is shared (a local gate, or Redis
     * unreachable), and the caller counts on its own.
     */
    default long[] countUpTo(String key, long budget, Duration ttl) {
        return null;
    }

    /**
     * Adds {@code add} to this node's part of the day counter {@code key} (what it counted while sharing was down)
     * and raises the part to at least {@code atLeast} (all it has counted: a Redis restarted without persistence
     * forgot the part); the total follows. False when it could not be written.
     */
    default boolean restoreCount(String key, long add, long atLeast, Duration ttl) {
        return false;
    }

    /** How many nodes share the budgets: each one's part while sharing is down is 1/nodes. */
    default int nodes() {
        return 1;
    }

    /** True when this gate counts connection slots across nodes (whether or not its store answers right now). */
    default boolean distributed() {
        return false;
    }

    /**
     * A lease for a connection that is already open (it was opened while sharing was down), taken whatever the count
     * says, so that the count includes it again; "" when nothing is shared right now.
     */
    default String adoptSlot(String key, Instant now) {
        return "";
    }

    /** Has {@code action} run whenever sharing comes back after an outage. */
    default void onShared(Runnable action) {
    }

    /**
     * The limit this node applies to its own count of the slots {@code key}: all of them, or, while the shared count
     * cannot be trusted, its share less what the others were last seen to hold beyond theirs.
     */
    default int localShare(String key, int max, Instant now) {
        return localShare(max);
    }

    /** The connection limit this node applies to its own count: all of it, or its share while sharing is down. */
    default int localShare(int max) {
        return max;
    }

    @Override
    void close();

    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    /** Outbound bursts: one second's worth, at least one, so "60/min" opens one connection per second. */
    static long secondBurst(Rate rate) {
        return Math.max(1, Math.min(rate.permits(), (long) Math.ceil(rate.perSecond())));
    }
}
