package dev.sluice.scheduler;

import dev.sluice.api.ratelimit.PathKey;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * In-flight requests per egress path and the destination queues waiting for one to finish. Not thread-safe:
 * the engine's lock guards it. A path is forgotten when it is idle, so the map only holds active paths.
 */
final class Paths {

    private static final class State {
        int inFlight;
        final Set<DestinationQueue> waiters = new LinkedHashSet<>();
    }

    private final Map<PathKey, State> paths = new HashMap<>();

    /** True when {@code path} has fewer than {@code max} requests in flight; else {@code waiter} is woken later. */
    boolean hasRoom(PathKey path, int max, DestinationQueue waiter) {
        State s = paths.computeIfAbsent(path, p -> new State());
        if (s.inFlight < max) {
            return true;
        }
        s.waiters.add(waiter);
        return false;
    }

    /** Has {@code waiter} woken when a request on {@code path} ends, though the path has room. */
    void await(PathKey path, DestinationQueue waiter) {
        paths.computeIfAbsent(path, p -> new State()).waiters.add(waiter);
    }

    void reserve(PathKey path) {
        paths.computeIfAbsent(path, p -> new State()).inFlight++;
    }

    /** Ends one request on {@code path}; returns the queues to wake. */
    List<DestinationQueue> release(PathKey path) {
        State s = paths.get(path);
        if (s == null) {
            return List.of();
        }
        s.inFlight--;
        List<DestinationQueue> wake = List.copyOf(s.waiters);
        s.waiters.clear();
        forgetIfIdle(path, s);
        return wake;
    }

    void forgetIfIdle(PathKey path) {
        State s = paths.get(path);
        if (s != null) {
            forgetIfIdle(path, s);
        }
    }

    int inFlight(PathKey path) {
        State s = paths.get(path);
        return s == null ? 0 : s.inFlight;
    }

    private void forgetIfIdle(PathKey path, State s) {
        if (s.inFlight <= 0 && s.waiters.isEmpty()) {
            paths.remove(path);
        }
    }
}
