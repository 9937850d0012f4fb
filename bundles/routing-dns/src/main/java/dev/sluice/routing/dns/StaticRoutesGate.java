package dev.sluice.routing.dns;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds routing back while a router that has just started (or been updated) still waits for the static routes
 * ConfigurationAdmin holds: in that moment a domain one of them takes would be looked up in DNS instead, which
 * can bounce mail (NXDOMAIN of a test or internal domain). Opens once every configured route is bound, or after
 * {@code patience} (a route whose configuration is wrong never binds), and never closes again.
 */
final class StaticRoutesGate implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StaticRoutesGate.class);

    private final CompletableFuture<Void> open = new CompletableFuture<>();

    /** {@code expected}: PIDs of the static route configurations; {@code bound}: the routes bound right now. */
    StaticRoutesGate(Set<String> expected, Supplier<List<StaticRoute>> bound, Duration patience) {
        if (expected.isEmpty()) {
            open.complete(null);
            return;
        }
        Thread watcher = new Thread(() -> watch(expected, bound, patience), "sluice-routing-dns-gate");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Runs {@code work} now if open, else once open (on the watcher thread, which only hands it on). */
    <T> CompletableFuture<T> then(Supplier<CompletableFuture<T>> work) {
        return open.isDone() ? work.get() : open.thenCompose(v -> work.get());
    }

    boolean isOpen() {
        return open.isDone();
    }

    @Override
    public void close() {
        open.complete(null);
    }

    private void watch(Set<String> expected, Supplier<List<StaticRoute>> bound, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!open.isDone()) {
            Set<String> missing = missing(expected, bound.get());
            if (missing.isEmpty()) {
                open.complete(null);
            } else if (System.nanoTime() > deadline) {
                LOG.warn("Static routes {} configured but not active after {} s (see their errors above); routing "
                        + "without them", missing, patience.toSeconds());
                open.complete(null);
            } else {
                LockSupport.parkNanos(20_000_000L);
            }
        }
    }

    private static Set<String> missing(Set<String> expected, List<StaticRoute> bound) {
        Set<String> have = bound.stream().map(StaticRoute::pid).collect(Collectors.toSet());
        return expected.stream().filter(p -> !have.contains(p)).collect(Collectors.toSet());
    }
}
