package dev.sluice.scheduler;

import dev.sluice.api.mail.QueueId;
import dev.sluice.api.queue.MessageDetail;
import dev.sluice.api.queue.QueueAdmin;
import dev.sluice.api.queue.QueueException;
import dev.sluice.api.queue.QueuePage;
import dev.sluice.api.queue.QueueSelector;
import dev.sluice.api.queue.QueueSummary;
import dev.sluice.api.queue.TenantWait;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Lets the component register {@link QueueAdmin} while the operations live in {@link Operations}. */
abstract class ForwardingAdmin implements QueueAdmin {

    private final Operations operations;

    ForwardingAdmin(Operations operations) {
        this.operations = operations;
    }

    Operations operations() {
        return operations;
    }

    @Override
    public QueueSummary summary() {
        return operations.summary();
    }

    @Override
    public QueuePage search(QueueSelector selector, int offset, int limit) {
        return operations.search(selector, offset, limit);
    }

    @Override
    public Optional<MessageDetail> show(QueueId id) throws QueueException {
        return operations.show(id);
    }

    @Override
    public int retryNow(QueueSelector selector) throws QueueException {
        return operations.retryNow(selector);
    }

    @Override
    public int hold(QueueSelector selector) throws QueueException {
        return operations.hold(selector);
    }

    @Override
    public int release(QueueSelector selector) throws QueueException {
        return operations.release(selector);
    }

    @Override
    public int delete(QueueSelector selector, boolean bounce) throws QueueException {
        return operations.delete(selector, bounce);
    }

    @Override
    public Set<String> heldDestinations() {
        return operations.heldDestinations();
    }

    @Override
    public List<TenantWait> tenantWaits() {
        return operations.tenantWaits();
    }
}
