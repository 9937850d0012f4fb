package dev.sluice.smtp.server;

import dev.sluice.api.filter.FilterSettings;
import dev.sluice.api.filter.FilterTimer;
import dev.sluice.api.metrics.Metrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dynamic set of whiteboard filters of one phase ordered by service.ranking (highest first), with their settings,
 * their timers and the calls each has pending, so that a filter that goes away mid-call fails those calls at once.
 */
final class RankedServices<T> {

    /** One registered filter. {@code pending} holds the verdicts the core still waits for. */
    record Entry<T>(T service, FilterSettings settings, long id, Set<CompletableFuture<?>> pending, FilterTimer timer) {
        String name() {
            return settings.name();
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(RankedServices.class);
    private static final Comparator<Entry<?>> ORDER =
            Comparator.<Entry<?>>comparingInt(e -> -e.settings().ranking()).thenComparingLong(Entry::id);

    private final String phase;
    private final Supplier<Metrics> metrics;
    private volatile List<Entry<T>> entries = List.of();

    /** @param phase the hook's name in logs; lower-cased, the {@code stage} label of the filter timings */
    RankedServices(String phase, Supplier<Metrics> metrics) {
        this.phase = phase;
        this.metrics = metrics;
    }

    String phase() {
        return phase;
    }

    /** Adds the filter, or replaces its settings when its service properties changed. */
    synchronized void add(T service, Map<String, ?> properties) {
        FilterSettings settings = FilterSettings.of(properties, service.getClass().getName());
        settings.problems().forEach(p -> LOG.warn("Filter {}: {}", settings.name(), p));
        List<Entry<T>> next = new ArrayList<>(entries);
        Set<CompletableFuture<?>> pending = next.stream().filter(e -> e.service() == service).findFirst()
                .map(Entry::pending).orElseGet(ConcurrentHashMap::newKeySet);
        next.removeIf(e -> e.service() == service);
        Object id = properties.get("service.id");
        next.add(new Entry<>(service, settings, id instanceof Number n ? n.longValue() : 0, pending,
                new FilterTimer(settings.name(), phase, metrics)));
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
