package dev.sluice.ratelimit;

import dev.sluice.api.ratelimit.Rate;
import java.time.Instant;

/** Where token buckets live: in this JVM, or shared by every node through Redis. */
interface RateGate extends AutoCloseable {

    /** Takes one permit from the bucket {@code key} refilled at {@code rate}, allowing bursts of {@code burst}. */
    boolean tryTake(String key, Rate rate, long burst, Instant now);

    /** When {@link #tryTake} on that bucket can next succeed (now if it already can). */
    Instant next(String key, Rate rate, long burst, Instant now);

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
