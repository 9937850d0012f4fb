package dev.sluice.scheduler;

import dev.sluice.api.ratelimit.PathKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The messages of one destination that wait aside, so that the rest of its mail goes past them rather than waiting
 * behind: per egress path, those whose source cannot send now (its window is shut, its path suspended, out of rate
 * or connections), and per tenant, those whose tenant has used up its own budget (a tenant rule). Each line keeps
 * arrival order; later mail of a waiting source or tenant joins its line.
 *
 * <p>Memory: a line holds loaded messages ({@link Work}) and entries not loaded yet. A message is loaded to learn its
 * source; once one of a sender domain's messages waits for its source, that sender's next entries join the line
 * without being loaded (the shaper chooses a source by sender domain), so thousands waiting for a shut source cost
 * one loaded message, not thousands. At most {@link #MAX} loaded messages wait per destination; with that many the
 * destination takes nothing more from its ready queue until some have gone. Only touched by the running pump.
 */
final class Waits {

    /** Loaded messages held back per destination, at most. */
    static final int MAX = 1000;

    /** What became of a message's batches. */
    enum Sent {
        ALL,
        /** Its path (source → site) cannot take it now. */
        PATH_BUSY,
        /** Only its tenant's own budget is used up. */
        TENANT_BUSY,
        /** Nothing can be sent (no shaper): everything waits where it is. */
        STOPPED
    }

    /** What a line waits for: an egress path or a tenant. */
    private record Key(PathKey egress, String tenant) {
        static Key of(Work work, Sent sent) {
            return sent == Sent.TENANT_BUSY ? new Key(null, work.path.tenant()) : new Key(work.egress(), null);
        }
    }

    /** Items are {@link Work} (loaded) or {@link Entry} (to be loaded when its turn comes). */
    private final Map<Key, ArrayDeque<Object>> lines = new LinkedHashMap<>();
    /** Sender domains whose mail waits in a path's line: their next entries join it unloaded. */
    private final Map<String, Key> bySender = new HashMap<>();
    private int loaded;
    /** Counts, over every destination, the messages waiting for their tenants' budgets. */
    private final TenantTally tally;
    private final WaitingBudget budget;

    Waits(TenantTally tally, WaitingBudget budget) {
        this.tally = tally;
        this.budget = budget;
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }

    boolean full() {
        return loaded >= MAX;
    }

    /** Whether one more loaded message may wait aside, as far as every destination's together allow. */
    boolean mayPark() {
        return !budget.exhausted();
    }

    /** Puts a just polled entry behind its sender's mail waiting for its source; false when none waits. */
    boolean takes(Entry entry, String senderDomain) {
        ArrayDeque<Object> line = lines.get(bySender.get(senderDomain));
        if (line == null) {
            return false;
        }
        line.add(entry);
        return true;
    }

    /** Puts a prepared message behind its source's or tenant's waiting mail; false when neither waits. */
    boolean takes(Work work) {
        if (lines.isEmpty()) {
            return false; // the usual case, for every message prepared: nothing to look up
        }
        Key key = new Key(work.egress(), null);
        if (!lines.containsKey(key) && work.path.tenant() != null) {
            key = new Key(null, work.path.tenant());
        }
        if (!lines.containsKey(key)) {
            return false;
        }
        enter(key, work, false);
        return true;
    }

    /** A message that its path or tenant stopped waits in that line; a path's line takes its sender's next entries. */
    void add(Work work, Sent sent, String senderDomain) {
        Key key = Key.of(work, sent);
        enter(key, work, false);
        if (key.tenant() == null) {
            bySender.putIfAbsent(senderDomain, key);
        }
    }

    /** A loaded message enters a line, at its end or (an entry just loaded there) at its head. */
    private void enter(Key key, Work work, boolean first) {
        ArrayDeque<Object> line = lines.computeIfAbsent(key, k -> new ArrayDeque<>());
        if (first) {
            line.addFirst(work);
        } else {
            line.add(work);
        }
        loaded++;
        budget.added();
        if (key.tenant() != null) {
            tally.added(work.path);
        }
    }

    /** A loaded message left a line: sent, dropped or moved to another line. */
    private void left(Key key, Work work) {
        loaded--;
        budget.removed(1);
        if (key.tenant() != null) {
            tally.removed(work.path);
        }
    }

    /**
     * Sends what waits, line by line, each until its path or tenant is busy again (the next line's turn). An entry
     * is loaded when it comes to the head ({@code prepare}: null when it has nothing left to send); a message that
     * now waits for another path or tenant than its line's moves to that line. False when nothing can be sent.
     */
    boolean retry(Function<Work, Sent> send, Function<Entry, Work> prepare, Function<Work, String> senderOf) {
        Set<Key> busy = new HashSet<>();
        List<Work> moved = new ArrayList<>();
        List<Sent> why = new ArrayList<>();
        boolean stopped = false;
        for (Iterator<Map.Entry<Key, ArrayDeque<Object>>> it = lines.entrySet().iterator(); it.hasNext() && !stopped; ) {
            Map.Entry<Key, ArrayDeque<Object>> line = it.next();
            ArrayDeque<Object> items = line.getValue();
            while (!items.isEmpty()) {
                if (items.peek() instanceof Entry e) {
                    items.poll();
                    Work w = prepare.apply(e);
                    if (w != null) {
                        enter(line.getKey(), w, true);
                    }
                    continue;
                }
                Work w = (Work) items.peek();
                Sent sent = busy.contains(new Key(w.egress(), null)) ? Sent.PATH_BUSY
                        : w.path.tenant() != null && busy.contains(new Key(null, w.path.tenant())) ? Sent.TENANT_BUSY
                        : send.apply(w); // each path or tenant is asked once per retry: an ask may go to Redis
                if (sent == Sent.STOPPED) {
                    stopped = true;
                    break;
                }
                if (sent == Sent.ALL) {
                    left(line.getKey(), (Work) items.poll());
                    continue;
                }
                Key key = Key.of(w, sent);
                busy.add(key);
                if (key.equals(line.getKey())) {
                    break;
                }
                left(line.getKey(), (Work) items.poll()); // it now waits for another path or tenant than this line's
                moved.add(w);
                why.add(sent);
            }
            if (items.isEmpty()) {
                it.remove();
                bySender.values().removeIf(line.getKey()::equals);
            }
        }
        for (int i = 0; i < moved.size(); i++) {
            add(moved.get(i), why.get(i), senderOf.apply(moved.get(i)));
        }
        return !stopped;
    }

    /** Empties it: every loaded batch not dispatched, and every entry not loaded, goes to {@code dropped} once. */
    void drainTo(List<Entry> dropped) {
        for (Map.Entry<Key, ArrayDeque<Object>> line : lines.entrySet()) {
            for (Object item : line.getValue()) {
                if (item instanceof Work w) {
                    left(line.getKey(), w);
                    for (int i = w.remaining(); i > 0; i--) {
                        dropped.add(w.entry);
                    }
                } else {
                    dropped.add((Entry) item);
                }
            }
        }
        lines.clear();
        bySender.clear();
        loaded = 0;
    }
}
