package dev.sluice.queue.file;

import dev.sluice.api.mail.QueueId;
import dev.sluice.api.queue.QueueEntry;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The compact, immutable index form of a queued message (56 bytes plus shared strings): domains are
 * interned because bulk mail repeats a few thousand of them across millions of messages, and a lone
 * destination is kept without an array around it. It carries its key, so that {@link SpoolIndex} needs no
 * boxed key or map node beside it.
 */
final class IndexEntry {

    final long key;
    private final long queuedAtMillis;
    private final long nextAttemptMillis;
    private final long size;
    private final Object destinations;
    private final String senderDomain;
    private final boolean held;

    private IndexEntry(long key, long queuedAtMillis, long nextAttemptMillis, long size, Object destinations,
                       String senderDomain, boolean held) {
        this.key = key;
        this.queuedAtMillis = queuedAtMillis;
        this.nextAttemptMillis = nextAttemptMillis;
        this.size = size;
        this.destinations = destinations;
        this.senderDomain = senderDomain;
        this.held = held;
    }

    static IndexEntry of(long key, long queuedAtMillis, long nextAttemptMillis, long size, Collection<String> destinations,
                         String senderDomain, boolean held) {
        Object d;
        if (destinations.size() == 1) {
            d = destinations.iterator().next().intern();
        } else {
            d = destinations.stream().map(String::intern).toArray(String[]::new);
        }
        return new IndexEntry(key, queuedAtMillis, nextAttemptMillis, size, d, senderDomain.intern(), held);
    }

    QueueEntry toQueueEntry() {
        List<String> dests = destinations instanceof String s ? List.of(s) : List.of((String[]) destinations);
        return new QueueEntry(new QueueId(QueueIds.format(key)), Instant.ofEpochMilli(nextAttemptMillis), held,
                dests, senderDomain, size, Instant.ofEpochMilli(queuedAtMillis));
    }

    boolean held() {
        return held;
    }
}
