package dev.sluice.smtp.server;

import dev.sluice.api.event.DeliveryEvent;
import dev.sluice.api.event.DeliveryListener;
import dev.sluice.api.filter.ConnectFilter;
import dev.sluice.api.filter.DataFilter;
import dev.sluice.api.filter.HeloFilter;
import dev.sluice.api.filter.MailFromFilter;
import dev.sluice.api.filter.RcptFilter;
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
    final RankedServices<ConnectFilter> connectFilters = new RankedServices<>();
    final RankedServices<HeloFilter> heloFilters = new RankedServices<>();
    final RankedServices<MailFromFilter> mailFilters = new RankedServices<>();
    final RankedServices<RcptFilter> rcptFilters = new RankedServices<>();
    final RankedServices<DataFilter> dataFilters = new RankedServices<>();
    final List<DeliveryListener> listeners = new CopyOnWriteArrayList<>();

    MailQueue queue() {
        return queue.get();
    }

    InboundLimiter limiter() {
        return limiter.get();
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
