package dev.sluice.smtp.server;

import dev.sluice.api.filter.FilterSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dynamic set of whiteboard filters ordered by service.ranking (highest first), with their settings and the
 * calls each has pending, so that a filter that goes away mid-call fails those calls at once.
 */
final class RankedServices<T> {

    /** One registered filter. {@code pending} holds the verdicts the core still waits for. */
    record Entry<T>(T service, FilterSettings settings, long id, Set<CompletableFuture<?>> pending) {
        String name() {
            return settings.name();
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(RankedServices.class);
    private static final Comparator<Entry<?>> ORDER =
            Comparator.<Entry<?>>comparingInt(e -> -e.settings().ranking()).thenComparingLong(Entry::id);

    private volatile List<Entry<T>> entries = List.of();

    /** Adds the filter, or replaces its settings when its service properties changed. */
    synchronized void add(T service, Map<String, ?> properties) {
        FilterSettings settings = FilterSettings.of(properties, service.getClass().getName());
        settings.problems().forEach(p -> LOG.warn("Filter {}: {}", settings.name(), p));
        List<Entry<T>> next = new ArrayList<>(entries);
        Set<CompletableFuture<?>> pending = next.stream().filter(e -> e.service() == service).findFirst()
                .map(Entry::pending).orElseGet(ConcurrentHashMap::newKeySet);
        next.removeIf(e -> e.service() == service);
        Object id = properties.get("service.id");
        next.add(new Entry<>(service, settings, id instanceof Number n ? n.longValue() : 0, pending));
        next.sort(ORDER);
        entries = List.copyOf(next);
    }

    /** Removes the filter and fails the calls it still owes an answer. */
    void remove(T service) {
        Entry<T> gone;
        synchronized (this) {
            gone = entries.stream().filter(e -> e.service() == service).findFirst().orElse(null);
            entries = entries.stream().filter(e -> e.service() != service).toList();
        }
        if (gone != null) {
            for (CompletableFuture<?> call : gone.pending()) {
                call.completeExceptionally(new IllegalStateException("filter unregistered during the call"));
            }
        }
    }

    List<Entry<T>> snapshot() {
        return entries;
    }

    boolean contains(T service) {
        return entries.stream().anyMatch(e -> e.service() == service);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }
}
