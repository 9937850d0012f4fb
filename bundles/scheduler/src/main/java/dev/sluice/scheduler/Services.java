package dev.sluice.scheduler;

import dev.sluice.api.delivery.BounceClassifier;
import dev.sluice.api.delivery.BounceService;
import dev.sluice.api.delivery.DeliveryAgent;
import dev.sluice.api.event.DeliveryEvent;
import dev.sluice.api.event.DeliveryListener;
import dev.sluice.api.filter.FilterSettings;
import dev.sluice.api.filter.FilterTimer;
import dev.sluice.api.filter.PreDeliveryFilter;
import dev.sluice.api.metrics.Metrics;
import dev.sluice.api.queue.MailQueue;
import dev.sluice.api.ratelimit.TrafficShaper;
import dev.sluice.api.routing.Router;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services the scheduler uses, as they come and go (dynamic references). Work pauses while one of the
 * four it cannot do without is missing.
 */
final class Services {

    private static final Logger LOG = LoggerFactory.getLogger(Services.class);

    final AtomicReference<MailQueue> queue = new AtomicReference<>();
    final AtomicReference<Router> router = new AtomicReference<>();
    final AtomicReference<TrafficShaper> shaper = new AtomicReference<>();
    final AtomicReference<DeliveryAgent> agent = new AtomicReference<>();
    final AtomicReference<BounceService> bounces = new AtomicReference<>();
    final AtomicReference<BounceClassifier> classifier = new AtomicReference<>();
    private final AtomicReference<SchedulerTimings> timings = new AtomicReference<>(SchedulerTimings.NONE);
    private volatile List<Ranked<PreDeliveryFilter>> filters = List.of();
    private volatile List<Ranked<DeliveryListener>> listeners = List.of();

    /**
     * A filter or listener with its service properties; {@code pending}: the filter calls not yet answered;
     * {@code timer}: where a filter's calls are timed.
     */
    record Ranked<T>(T service, String name, int ranking, long serviceId, long timeoutMillis, boolean failOpen,
                     boolean nonBlocking, Set<CompletableFuture<?>> pending, FilterTimer timer) {
        static <T> Ranked<T> of(T service, Map<String, ?> props) {
            return of(service, FilterSettings.of(props, service.getClass().getName()), props,
                    ConcurrentHashMap.newKeySet(), FilterTimer.NONE);
        }

        static <T> Ranked<T> of(T service, FilterSettings settings, Map<String, ?> props,
                                Set<CompletableFuture<?>> pending, FilterTimer timer) {
            return new Ranked<>(service, settings.name(), settings.ranking(),
                    props.get("service.id") instanceof Long id ? id : 0L, settings.timeoutMillis(),
                    settings.failOpen(), settings.nonBlocking(), pending, timer);
        }
    }

    /** True when delivery can proceed. */
    boolean ready() {
        return queue.get() != null && router.get() != null && shaper.get() != null && agent.get() != null;
    }

    /** Binds {@code service}; greedy rebinding calls bind(new) before unbind(old), so unset only if still current. */
    static <T> void set(AtomicReference<T> ref, T service) {
        ref.set(service);
    }

    static <T> boolean unset(AtomicReference<T> ref, T service) {
        return ref.compareAndSet(service, null);
    }

    SchedulerTimings timings() {
        return timings.get();
    }

    Metrics metrics() {
        return timings.get().source();
    }

    void bindMetrics(Metrics metrics) {
        timings.set(SchedulerTimings.of(metrics));
    }

    /** Greedy rebinding binds the new service first: only the one still current is replaced by nothing. */
    void unbindMetrics(Metrics metrics) {
        timings.getAndUpdate(t -> t.source() == metrics ? SchedulerTimings.NONE : t);
    }

    List<Ranked<PreDeliveryFilter>> filters() {
        return filters;
    }

    /** Adds a filter, or takes its changed service properties. */
    synchronized void addFilter(PreDeliveryFilter f, Map<String, ?> props) {
        FilterSettings settings = FilterSettings.of(props, f.getClass().getName());
        settings.problems().forEach(p -> LOG.warn("Pre-delivery filter {}: {}", settings.name(), p));
        Set<CompletableFuture<?>> pending = filters.stream().filter(r -> r.service() == f).findFirst()
                .map(Ranked::pending).orElseGet(ConcurrentHashMap::newKeySet);
        filters = sorted(filters.stream().filter(r -> r.service() != f).toList(),
                Ranked.of(f, settings, props, pending, new FilterTimer(settings.name(), "predelivery", this::metrics)));
    }

    /** Removes a filter; the calls it has not answered fail now (its failure mode decides) instead of timing out. */
    void removeFilter(PreDeliveryFilter f) {
        List<Ranked<PreDeliveryFilter>> gone;
        synchronized (this) {
            gone = filters.stream().filter(r -> r.service() == f).toList();
            filters = filters.stream().filter(r -> r.service() != f).toList();
        }
        gone.forEach(r -> r.pending().forEach(call -> call.completeExceptionally(
                new IllegalStateException("filter unregistered during the call"))));
    }

    boolean hasFilter(PreDeliveryFilter f) {
        return filters.stream().anyMatch(r -> r.service() == f);
    }

    synchronized void addListener(DeliveryListener l, Map<String, ?> props) {
        listeners = sorted(listeners, Ranked.of(l, props));
    }

    synchronized void removeListener(DeliveryListener l) {
        listeners = listeners.stream().filter(r -> r.service() != l).toList();
    }

    boolean hasListeners() {
        return !listeners.isEmpty();
    }

    void publish(DeliveryEvent event) {
        for (Ranked<DeliveryListener> l : listeners) {
            try {
                l.service().onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("Delivery listener {} failed on {} event of {}", l.name(), event.kind(), event.queueId(), e);
            }
        }
    }

    private static <T> List<Ranked<T>> sorted(List<Ranked<T>> current, Ranked<T> added) {
        List<Ranked<T>> all = new ArrayList<>(current);
        all.add(added);
        // OSGi order: highest ranking first, then the oldest service
        all.sort(Comparator.<Ranked<T>>comparingInt(r -> -r.ranking()).thenComparingLong(Ranked::serviceId));
        return List.copyOf(all);
    }
}
