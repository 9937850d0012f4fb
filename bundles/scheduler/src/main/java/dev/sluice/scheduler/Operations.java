package dev.sluice.scheduler;

import dev.sluice.api.mail.QueueId;
import dev.sluice.api.queue.MailQueue;
import dev.sluice.api.queue.MessageDetail;
import dev.sluice.api.queue.QueueAdmin;
import dev.sluice.api.queue.QueueEntry;
import dev.sluice.api.queue.QueueException;
import dev.sluice.api.queue.QueuePage;
import dev.sluice.api.queue.QueueSelector;
import dev.sluice.api.queue.QueueSummary;
import dev.sluice.api.queue.QueuedMessage;
import dev.sluice.api.queue.TenantWait;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Queue operations for the console and the shell, on the scheduler's index. Safe while mail flows: a
 * message in a round is changed when its round ends. A selector with only a destination holds or releases
 * the destination itself (stored in the queue), which also keeps back messages that arrive later.
 */
final class Operations implements QueueAdmin {

    static final int MAX_PAGE = 1000;

    private final Engine engine;
    private final Selection selection;

    Engine engine() {
        return engine;
    }

    Operations(Engine engine) {
        this.engine = engine;
        this.selection = new Selection(engine);
    }

    @Override
    public QueueSummary summary() {
        synchronized (engine.lock) {
            return engine.index.summary();
        }
    }

    @Override
    public QueuePage search(QueueSelector selector, int offset, int limit) {
        Selection.check(selector);
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must not be negative");
        }
        int max = Math.min(limit, MAX_PAGE);
        if (!Selection.needsMessage(selector)) {
            Selection.Slice slice = selection.slice(selector, offset, max);
            List<QueueEntry> page = new ArrayList<>();
            synchronized (engine.lock) {
                slice.entries().forEach(e -> page.add(e.toQueueEntry()));
            }
            return new QueuePage(page, slice.total(), offset);
        }
        List<Entry> candidates = selection.candidates(selector);
        List<Entry> matched = selection.filterLoaded(candidates, selector, offset + max);
        List<QueueEntry> page = new ArrayList<>();
        synchronized (engine.lock) {
            matched.stream().skip(offset).forEach(e -> page.add(e.toQueueEntry()));
        }
        // counting every match would load every candidate message
        return new QueuePage(page, -1, offset);
    }

    @Override
    public Optional<MessageDetail> show(QueueId id) throws QueueException {
        MailQueue queue = queue();
        Optional<QueuedMessage> msg = queue.get(id);
        if (msg.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new MessageDetail(msg.get(), Headers.read(queue.content(id)).parsed()));
        } catch (IOException e) {
            throw QueueException.ioError("cannot read the header of " + id, e);
        }
    }

    @Override
    public int retryNow(QueueSelector selector) throws QueueException {
        List<Entry> matched = selection.resolve(selector);
        long now = engine.now();
        synchronized (engine.lock) {
            for (Entry e : matched) {
                e.forced = true;
                if (e.state == Entry.WAITING || e.state == Entry.PARKED && !e.held) {
                    engine.index.schedule(e, now, now);
                }
            }
        }
        engine.arm(now);
        return matched.size();
    }

    @Override
    public int hold(QueueSelector selector) throws QueueException {
        if (Selection.destinationOnly(selector)) {
            String domain = selector.destination().toLowerCase(java.util.Locale.ROOT);
            engine.holdDestination(domain);
            synchronized (engine.lock) {
                return (int) engine.index.messagesTo(domain);
            }
        }
        return setHeld(selection.resolve(selector), true);
    }

    @Override
    public int release(QueueSelector selector) throws QueueException {
        if (Selection.destinationOnly(selector)) {
            return engine.releaseDestination(selector.destination().toLowerCase(java.util.Locale.ROOT));
        }
        return setHeld(selection.resolve(selector), false);
    }

    @Override
    public Set<String> heldDestinations() {
        return engine.heldDestinations();
    }

    @Override
    public List<TenantWait> tenantWaits() {
        return engine.tenantTally.snapshot();
    }

    @Override
    public int delete(QueueSelector selector, boolean bounce) throws QueueException {
        String destination = selector.destination() == null ? null
                : selector.destination().toLowerCase(java.util.Locale.ROOT);
        Round.AdminDelete request = new Round.AdminDelete(bounce, destination);
        List<Entry> now = new ArrayList<>();
        List<Entry> matched = selection.resolve(selector);
        synchronized (engine.lock) {
            for (Entry e : matched) {
                if (e.state == Entry.ROUND) {
                    e.round.delete(request);
                } else if (e.state != Entry.BUSY) {
                    e.state = Entry.BUSY;
                    now.add(e);
                }
            }
        }
        for (Entry e : now) {
            engine.rounds.deleteNow(e, request);
        }
        return matched.size();
    }

    private int setHeld(List<Entry> matched, boolean held) throws QueueException {
        MailQueue queue = queue();
        long now = engine.now();
        for (Entry e : matched) {
            queue.setHeld(e.queueId(), held);
            synchronized (engine.lock) {
                engine.index.change(e, () -> e.held = held);
                if (held && e.state == Entry.WAITING) {
                    engine.index.park(e);
                } else if (!held && e.state == Entry.PARKED) {
                    engine.index.schedule(e, Math.min(e.due, now), now);
                }
            }
        }
        engine.arm(now);
        return matched.size();
    }

    private MailQueue queue() throws QueueException {
        MailQueue queue = engine.services.queue.get();
        if (queue == null) {
            throw QueueException.ioError("no queue service", null);
        }
        return queue;
    }
}
