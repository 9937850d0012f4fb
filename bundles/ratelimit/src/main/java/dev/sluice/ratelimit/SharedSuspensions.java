package dev.sluice.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The suspension records of other nodes, read through the gate at most once a second per site so that the hot
 * path (every tryOpenConnection) costs a map lookup, not a Redis round trip.
 */
final class SharedSuspensions {

    static final Duration FRESH = Duration.ofSeconds(1);

    private record View(Instant fetched, Map<String, String> records) { }

    private volatile RateGate gate;
    private final ConcurrentHashMap<String, View> views = new ConcurrentHashMap<>();
    private final AtomicInteger fetches = new AtomicInteger();

    SharedSuspensions(RateGate gate) {
        this.gate = gate;
    }

    void setGate(RateGate gate) {
        this.gate = gate;
        views.clear();
    }

    /** Shares a record until a minute after {@code until}; false when it is not shared. */
    boolean publish(String site, String field, String value, Instant now, Instant until) {
        views.remove(site);
        return gate.putRecord(site, field, value, Duration.between(now, until).plus(Duration.ofMinutes(1)));
    }

    void drop(String site) {
        views.remove(site);
        gate.dropRecords(site);
    }

    /** The site's shared records, at most {@link #FRESH} old; null when nothing is shared right now. */
    Map<String, String> view(String site, Instant now) {
        View v = views.get(site);
        if (v != null && now.isBefore(v.fetched().plus(FRESH)) && !now.isBefore(v.fetched())) {
            return v.records();
        }
        Map<String, String> records = gate.records(site);
        if (records == null) {
            views.remove(site);
            return null;
        }
        if (fetches.incrementAndGet() % 1024 == 0) {
            views.values().removeIf(x -> !now.isBefore(x.fetched().plus(FRESH)));
        }
        views.put(site, new View(now, Map.copyOf(records)));
        return records;
    }
}
