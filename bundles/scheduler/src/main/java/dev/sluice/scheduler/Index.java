package dev.sluice.scheduler;

import dev.sluice.api.queue.QueueEntry;
import dev.sluice.api.queue.QueueSummary;
import dev.sluice.api.queue.RecipientStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The in-memory index: entries by id, future due times in one-second buckets, and the counters the summary
 * needs, kept up to date on every change so that a summary never scans. Not thread-safe: the engine's lock
 * guards it.
 *
 * <p>Buckets instead of a sorted set of entries save a tree node per message. A rescheduled entry leaves a
 * stale reference in its old bucket, which is skipped when that bucket comes due.
 */
final class Index {

    private static final long BUCKET_MILLIS = 1000;

    private final EntryTable byId = new EntryTable();
    private final TreeMap<Long, ArrayList<Entry>> future = new TreeMap<>();
    private final ArrayDeque<Entry> dueNow = new ArrayDeque<>();
    /** Also the intern pools of domain names: an entry holds the counter's instance. */
    private final Map<String, Counter> byDestination = new HashMap<>();
    private final Map<String, Counter> bySender = new HashMap<>();
    private long pending;
    private long deferred;
    private long held;

    Entry get(String id) {
        return byId.get(id);
    }

    /** True when this very entry is indexed (not one that was removed, or replaced under its id). */
    boolean holds(Entry entry) {
        return byId.holds(entry);
    }

    /** Do not add or remove entries while iterating. */
    Iterable<Entry> entries() {
        return byId;
    }

    int size() {
        return byId.size();
    }

    /** Adds an entry the queue announced; an entry already known keeps its (fresher) state. */
    Entry learn(QueueEntry e, long now) {
        Entry known = byId.get(e.id().value());
        if (known != null) {
            return null;
        }
        Entry entry = new Entry(e.id().value(), e.size(), e.queuedAt().toEpochMilli());
        boolean fresh = !e.nextAttempt().isAfter(e.queuedAt());
        // QueueEntry carries no recipient counts: count one per destination until the message is loaded
        change(entry, () -> {
            entry.destinations(e.destinations());
            entry.senderDomain = e.senderDomain();
            entry.pending = fresh ? e.destinations().size() : 0;
            entry.deferred = fresh ? 0 : e.destinations().size();
            entry.held = e.held();
        });
        byId.add(entry);
        return entry;
    }

    /** Applies {@code mutation} to a known entry, keeping the counters right. */
    void change(Entry entry, Runnable mutation) {
        boolean known = byId.holds(entry);
        if (known) {
            account(entry, -1);
        }
        mutation.run();
        entry.destinations(entry.destinations().stream().map(this::internDestination).toList());
        entry.senderDomain = internSender(entry.senderDomain);
        account(entry, +1);
    }

    void remove(Entry entry) {
        if (byId.remove(entry)) {
            account(entry, -1);
            entry.state = Entry.BUSY;
        }
    }

    void clear() {
        byId.clear();
        future.clear();
        dueNow.clear();
        byDestination.clear();
        bySender.clear();
        pending = deferred = held = 0;
    }

    void schedule(Entry entry, long due, long now) {
        entry.due = due;
        entry.state = Entry.WAITING;
        if (due <= now) {
            dueNow.add(entry);
        } else {
            future.computeIfAbsent(bucket(due), k -> new ArrayList<>(2)).add(entry);
        }
    }

    void park(Entry entry) {
        entry.state = Entry.PARKED;
    }

    /** Removes and returns the waiting entries due at {@code now}, earliest bucket first. */
    List<Entry> pollDue(long now) {
        List<Entry> due = new ArrayList<>();
        for (Entry e; (e = dueNow.poll()) != null; ) {
            if (e.state == Entry.WAITING && e.due <= now) {
                // marked at once: a rescheduled entry can be referenced twice
                e.state = Entry.BUSY;
                due.add(e);
            }
        }
        while (!future.isEmpty() && future.firstKey() <= now) {
            var bucket = future.pollFirstEntry();
            for (Entry e : bucket.getValue()) {
                if (e.state == Entry.WAITING && bucket(e.due) == bucket.getKey()) {
                    e.state = Entry.BUSY;
                    due.add(e);
                }
            }
        }
        return due;
    }

    /** When the next bucket is due, {@code Long.MAX_VALUE} when nothing waits. */
    long nextDue(long now) {
        if (!dueNow.isEmpty()) {
            return now;
        }
        return future.isEmpty() ? Long.MAX_VALUE : future.firstKey();
    }

    long messagesTo(String destination) {
        Counter n = byDestination.get(destination);
        return n == null ? 0 : n.count;
    }

    QueueSummary summary() {
        Map<String, Long> destinations = new HashMap<>();
        byDestination.forEach((d, n) -> destinations.put(d, n.count));
        return new QueueSummary(byId.size(),
                Map.of(RecipientStatus.PENDING, pending, RecipientStatus.DEFERRED, deferred), held, destinations);
    }

    private static long bucket(long due) {
        // rounded up so that an entry never fires early
        return Math.floorDiv(due + BUCKET_MILLIS - 1, BUCKET_MILLIS) * BUCKET_MILLIS;
    }

    private void account(Entry e, int sign) {
        pending += sign * e.pending;
        deferred += sign * e.deferred;
        held += e.held ? sign : 0;
        for (String d : e.destinations()) {
            count(byDestination, d, sign);
        }
        if (e.senderDomain != null) {
            count(bySender, e.senderDomain, sign);
        }
    }

    private static void count(Map<String, Counter> counts, String key, int sign) {
        Counter n = counts.computeIfAbsent(key, Counter::new);
        n.count += sign;
        if (n.count <= 0) {
            counts.remove(key);
        }
    }

    private String internDestination(String d) {
        Counter c = byDestination.get(d);
        return c == null ? d : c.name;
    }

    private String internSender(String d) {
        Counter c = d == null ? null : bySender.get(d);
        return c == null ? d : c.name;
    }

    private static final class Counter {
        final String name;
        long count;

        Counter(String name) {
            this.name = name;
        }
    }
}
