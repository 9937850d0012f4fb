package dev.sluice.webconsole;

import dev.sluice.api.mail.QueueId;
import dev.sluice.api.queue.MessageDetail;
import dev.sluice.api.queue.QueueAdmin;
import dev.sluice.api.queue.QueueException;
import dev.sluice.api.queue.QueuePage;
import dev.sluice.api.queue.QueueSelector;
import dev.sluice.api.queue.QueueSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Records every call; answers with what the test put in. */
final class FakeQueueAdmin implements QueueAdmin {

    final List<String> calls = new ArrayList<>();
    QueueSummary summary = new QueueSummary(0, Map.of(), 0, Map.of());
    java.util.Set<String> heldDestinations = java.util.Set.of();
    List<dev.sluice.api.queue.TenantWait> tenantWaits = List.of();
    QueuePage page = new QueuePage(List.of(), 0, 0);
    MessageDetail detail;
    int touched = 1;
    QueueSelector lastSelector;
    int lastOffset = -1;
    int lastLimit = -1;

    @Override
    public java.util.Set<String> heldDestinations() {
        return heldDestinations;
    }

    @Override
    public List<dev.sluice.api.queue.TenantWait> tenantWaits() {
        return tenantWaits;
    }

    @Override
    public QueueSummary summary() {
        calls.add("summary");
        return summary;
    }

    @Override
    public QueuePage search(QueueSelector selector, int offset, int limit) {
        calls.add("search");
        lastSelector = selector;
        lastOffset = offset;
        lastLimit = limit;
        return page;
    }

    @Override
    public Optional<MessageDetail> show(QueueId id) {
        calls.add("show " + id);
        return Optional.ofNullable(detail).filter(d -> d.message().id().equals(id));
    }

    @Override
    public int retryNow(QueueSelector selector) {
        return act("retry", selector);
    }

    @Override
    public int hold(QueueSelector selector) {
        return act("hold", selector);
    }

    @Override
    public int release(QueueSelector selector) {
        return act("release", selector);
    }

    @Override
    public int delete(QueueSelector selector, boolean bounce) throws QueueException {
        return act(bounce ? "bounce" : "delete", selector);
    }

    private int act(String what, QueueSelector selector) {
        if (!selector.hasCriteria() && !selector.everything()) {
            throw new IllegalArgumentException("a selector needs at least one criterion");
        }
        calls.add(what);
        lastSelector = selector;
        return touched;
    }
}
