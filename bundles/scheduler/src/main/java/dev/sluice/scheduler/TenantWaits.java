package dev.sluice.scheduler;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The messages of one destination whose tenant has used up its own budget (a tenant rule), per tenant in arrival
 * order, so that the other tenants' mail to the destination goes past them rather than waiting behind. Bounded: a
 * destination holding {@link #MAX} of them takes no more from its ready queue until some have gone. Only touched
 * by the destination's running pump.
 */
final class TenantWaits {

    /** Prepared messages held back for their tenants, at most, per destination (each is one loaded message). */
    static final int MAX = 1000;

    /** What became of a message's batches. */
    enum Sent { ALL, PATH_BUSY, TENANT_BUSY }

    private final Map<String, ArrayDeque<Work>> byTenant = new LinkedHashMap<>();
    private int size;
    private final TenantTally tally;

    TenantWaits(TenantTally tally) {
        this.tally = tally;
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean full() {
        return size >= MAX;
    }

    /** True when a message of the same tenant already waits: {@code work} must wait behind it. */
    boolean holdsTenantOf(Work work) {
        return work.path.tenant() != null && byTenant.containsKey(work.path.tenant());
    }

    void add(Work work) {
        byTenant.computeIfAbsent(work.path.tenant(), t -> new ArrayDeque<>()).add(work);
        size++;
        tally.added(work.path);
    }

    /**
     * Sends what waits, tenant by tenant, until a tenant is busy again (the next tenant's turn) or the path itself is
     * (everything waits); false in that last case.
     */
    boolean retry(Function<Work, Sent> send) {
        for (Iterator<ArrayDeque<Work>> it = byTenant.values().iterator(); it.hasNext(); ) {
            ArrayDeque<Work> waiting = it.next();
            while (!waiting.isEmpty()) {
                Sent sent = send.apply(waiting.peek());
                if (sent == Sent.PATH_BUSY) {
                    return false;
                }
                if (sent == Sent.TENANT_BUSY) {
                    break;
                }
                tally.removed(waiting.poll().path);
                size--;
            }
            if (waiting.isEmpty()) {
                it.remove();
            }
        }
        return true;
    }

    /** Empties it, adding the entry of every batch not dispatched to {@code dropped} (one part each). */
    void drainTo(List<Entry> dropped) {
        for (ArrayDeque<Work> waiting : byTenant.values()) {
            for (Work w : waiting) {
                tally.removed(w.path);
                for (int i = w.remaining(); i > 0; i--) {
                    dropped.add(w.entry);
                }
            }
        }
        byTenant.clear();
        size = 0;
    }
}
