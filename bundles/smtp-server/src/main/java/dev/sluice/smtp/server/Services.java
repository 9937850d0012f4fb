package dev.sluice.smtp.server;

import dev.sluice.api.event.DeliveryEvent;
import dev.sluice.api.event.DeliveryListener;
import dev.sluice.api.filter.ConnectFilter;
import dev.sluice.api.filter.DataFilter;
import dev.sluice.api.filter.HeloFilter;
import dev.sluice.api.filter.MailFromFilter;
import dev.sluice.api.filter.RcptFilter;
import dev.sluice.api.metrics.Metrics;
import dev.sluice.api.queue.MailQueue;
import dev.sluice.api.ratelimit.InboundLimiter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The dynamic references of a listener, as seen by its sessions at the moment they look. */
final class Services {

    private static final Logger LOG = LoggerFactory.getLogger(Services.class);

    final AtomicReference<MailQueue> queue = new AtomicReference<>();
    final AtomicReference<InboundLimiter> limiter = new AtomicReference<>();
    final RankedServices<ConnectFilter> connectFilters = new RankedServices<>("connect", this::metrics);
    final RankedServices<HeloFilter> heloFilters = new RankedServices<>("HELO", this::metrics);
    final RankedServices<MailFromFilter> mailFilters = new RankedServices<>("MAIL", this::metrics);
    final RankedServices<RcptFilter> rcptFilters = new RankedServices<>("RCPT", this::metrics);
    final RankedServices<DataFilter> dataFilters = new RankedServices<>("DATA", this::metrics);
    final List<DeliveryListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<ListenerTimings> timings = new AtomicReference<>(ListenerTimings.NONE);

    MailQueue queue() {
        return queue.get();
    }

    InboundLimiter limiter() {
        return limiter.get();
    }

    ListenerTimings timings() {
        return timings.get();
    }

    Metrics metrics() {
        return timings.get().source();
    }

    void bindMetrics(Metrics metrics, String listener) {
        timings.set(ListenerTimings.of(metrics, listener));
    }

    /** Greedy rebinding binds the new service first: only the one still current is replaced by nothing. */
    void unbindMetrics(Metrics metrics) {
        timings.getAndUpdate(t -> t.source() == metrics ? ListenerTimings.NONE : t);
    }

    void publish(DeliveryEvent event) {
        for (DeliveryListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("DeliveryListener {} failed on {} event for {}", listener, event.kind(), event.queueId(), e);
            }
        }
    }
}
