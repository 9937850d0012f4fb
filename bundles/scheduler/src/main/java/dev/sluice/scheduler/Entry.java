package dev.sluice.scheduler;

import dev.sluice.api.mail.QueueId;
import dev.sluice.api.queue.QueueEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * What the scheduler keeps in memory per queued message: the id, times and interned domain names, a few
 * counters and flags. The full message is loaded only to dispatch it. Guarded by the engine's lock.
 */
final class Entry {

    /** In the timer index, waiting for its due time. */
    static final byte WAITING = 0;
    /** Held, or every unfinished recipient is in a held destination: not in the timer index. */
    static final byte PARKED = 1;
    /** Being worked on: in destination ready queues or in flight. */
    static final byte ROUND = 2;
    /** An operator action owns it for a moment. */
    static final byte BUSY = 3;

    /** The queue id in UTF-8: half the heap of a {@code String} (a million of them are held). */
    final byte[] id;
    final long size;
    final long queuedAt;
    long due;
    /** A single interned String (the common case, no array) or an interned String[]. */
    private Object destinations;
    String senderDomain;
    int pending;
    int deferred;
    boolean held;
    /** An operator asked for "retry now": the next round ignores the recipients' next-attempt times. */
    boolean forced;
    byte state;
    Round round;

    Entry(String id, long size, long queuedAt) {
        this.id = id.getBytes(StandardCharsets.UTF_8);
        this.size = size;
        this.queuedAt = queuedAt;
        this.state = BUSY;
    }

    String id() {
        return new String(id, StandardCharsets.UTF_8);
    }

    QueueId queueId() {
        return new QueueId(id());
    }

    List<String> destinations() {
        if (destinations == null) {
            return List.of();
        }
        return destinations instanceof String s ? List.of(s) : List.of((String[]) destinations);
    }

    void destinations(List<String> interned) {
        destinations = interned.isEmpty() ? null
                : interned.size() == 1 ? interned.get(0) : interned.toArray(String[]::new);
    }

    boolean hasDestination(String domain) {
        if (destinations instanceof String s) {
            return s.equals(domain);
        }
        return destinations != null && Arrays.asList((String[]) destinations).contains(domain);
    }

    QueueEntry toQueueEntry() {
        return new QueueEntry(queueId(), Instant.ofEpochMilli(due), held, destinations(),
                senderDomain == null ? "" : senderDomain, size, Instant.ofEpochMilli(queuedAt));
    }
}
