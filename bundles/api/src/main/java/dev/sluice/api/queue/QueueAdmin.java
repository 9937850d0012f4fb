package dev.sluice.api.queue;

import dev.sluice.api.mail.QueueId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Operations on the queue for the web console and the shell, safe while mail flows. Implemented by the
 * scheduler, which owns the in-memory index. Every bulk action returns how many messages it touched and
 * throws {@link IllegalArgumentException} for a selector without criteria that is not {@link
 * QueueSelector#all()}; storage failures are {@link QueueException}s.
 */
@org.osgi.annotation.versioning.ProviderType
public interface QueueAdmin {

    QueueSummary summary();

    /** A page of matching messages, at most {@code limit} (capped at 1000). */
    QueuePage search(QueueSelector selector, int offset, int limit);

    Optional<MessageDetail> show(QueueId id) throws QueueException;

    /** Makes matching unfinished recipients due now. */
    int retryNow(QueueSelector selector) throws QueueException;

    int hold(QueueSelector selector) throws QueueException;

    int release(QueueSelector selector) throws QueueException;

    /** Removes matching messages; with {@code bounce}, their senders get a DSN for every unfinished recipient. */
    int delete(QueueSelector selector, boolean bounce) throws QueueException;

    /**
     * The destinations an operator held as a whole ({@link #hold} with a destination alone), which also keeps
     * back mail that arrives later, until {@link #release} with the same destination; ASCII, lower case.
     *
     * @since 1.1
     */
    default Set<String> heldDestinations() {
        return Set.of();
    }

    /**
     * The messages waiting aside because their tenant's own budget (a tenant rule of the traffic shaper) is used up,
     * per tenant and site, while the other mail to the destination goes past them; empty when none wait.
     *
     * @since 1.2
     */
    default List<TenantWait> tenantWaits() {
        return List.of();
    }
}
