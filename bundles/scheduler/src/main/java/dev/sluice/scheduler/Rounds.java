package dev.sluice.scheduler;

import dev.sluice.api.queue.MailQueue;
import dev.sluice.api.queue.QueueException;
import dev.sluice.api.queue.QueuedMessage;
import dev.sluice.api.queue.QueuedRecipient;
import dev.sluice.api.queue.RecipientStatus;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a round: the DSN, any operator delete that waited for it, and the message's next due time,
 * computed from its stored state (so the index never drifts from the queue).
 */
final class Rounds {

    private static final Logger LOG = LoggerFactory.getLogger(Rounds.class);

    private final Engine engine;

    Rounds(Engine engine) {
        this.engine = engine;
    }

    /** One destination part or batch of the entry's round is finished. */
    void partDone(Entry entry) {
        Round round = entry.round;
        if (round != null && round.done()) {
            engine.recorder.finish(round, true);
            Round.AdminDelete delete = round.delete();
            if (delete != null) {
                deleteNow(entry, delete);
            } else if (round.allSettled()) {
                forget(entry); // every recipient is stored as final: the queue has removed it, no read needed
            } else {
                reload(entry, round.progress());
            }
        }
    }

    /** Settles an operator delete, then reloads the entry. */
    void deleteNow(Entry entry, Round.AdminDelete delete) {
        try {
            Optional<QueuedMessage> msg = load(entry);
            msg.ifPresent(m -> engine.recorder.deleteByOperator(m, delete));
        } catch (IllegalStateException e) {
            LOG.warn("Delete of {} not done: the queue failed", entry.id());
        }
        reload(entry, true);
    }

    private void forget(Entry entry) {
        synchronized (engine.lock) {
            entry.round = null;
            if (engine.index.holds(entry)) {
                engine.index.remove(entry);
            }
        }
    }

    /** Reads the message's state after a round and schedules its next one (or forgets it when it is done). */
    void reload(Entry entry, boolean progress) {
        Optional<QueuedMessage> msg;
        boolean failed = false;
        try {
            msg = load(entry);
        } catch (IllegalStateException e) {
            msg = Optional.empty();
            failed = true;
        }
        long next;
        synchronized (engine.lock) {
            entry.round = null;
            if (!engine.index.holds(entry)) {
                return;
            }
            long now = engine.now();
            if (failed) {
                engine.index.schedule(entry, now + engine.settings.storageRetry().toMillis(), now);
            } else if (msg.isEmpty()) {
                engine.index.remove(entry);
                return;
            } else {
                refresh(entry, msg.get(), progress, now);
            }
            next = entry.state == Entry.WAITING ? entry.due : Long.MAX_VALUE;
        }
        engine.arm(next);
    }

    /** Under the lock: takes the loaded state into the index and puts the entry where it belongs. */
    private void refresh(Entry entry, QueuedMessage msg, boolean progress, long now) {
        List<QueuedRecipient> open = msg.recipients().stream().filter(r -> !r.status().isFinal()).toList();
        engine.index.change(entry, () -> {
            entry.destinations(open.stream().map(r -> r.recipient().address().asciiDomain()).distinct().toList());
            entry.pending = (int) open.stream().filter(r -> r.status() == RecipientStatus.PENDING).count();
            entry.deferred = open.size() - entry.pending;
            entry.held = msg.held();
        });
        long due = open.stream().filter(r -> !engine.isHeld(r.recipient().address().asciiDomain()))
                .mapToLong(r -> r.nextAttempt().toEpochMilli()).min().orElse(Long.MAX_VALUE);
        if (entry.held || due == Long.MAX_VALUE) {
            engine.index.park(entry);
            return;
        }
        if (entry.forced) {
            due = now;
        } else if (!progress && due <= now) {
            // nothing could be done this round (storage or shaper trouble): do not spin
            due = now + engine.settings.storageRetry().toMillis();
        }
        engine.index.schedule(entry, due, now);
    }

    /** @throws IllegalStateException when the queue failed or is gone (as opposed to "no such message") */
    Optional<QueuedMessage> load(Entry entry) {
        MailQueue queue = engine.services.queue.get();
        if (queue == null) {
            throw new IllegalStateException("no queue");
        }
        try {
            return queue.get(entry.queueId());
        } catch (QueueException | RuntimeException e) {
            LOG.warn("Cannot load {} from the queue", entry.id(), e);
            throw new IllegalStateException(e);
        }
    }
}
