package dev.sluice.scheduler;

import dev.sluice.api.queue.MailQueue;
import dev.sluice.api.queue.QueueException;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Destinations an operator held as a whole: read in memory by every scheduling decision, stored in the queue
 * (a small fsynced file of the spool) so that a hold outlives a restart. A change is stored before it applies:
 * if storing fails, the operation fails and nothing changes.
 */
final class HeldDestinations {

    private static final Logger LOG = LoggerFactory.getLogger(HeldDestinations.class);

    private final Set<String> held = ConcurrentHashMap.newKeySet();
    /** Serialises read-modify-store, so that two operators' changes cannot overwrite each other. */
    private final Object store = new Object();

    boolean contains(String domain) {
        return held.contains(domain);
    }

    Set<String> snapshot() {
        return Set.copyOf(held);
    }

    /** A queue was bound: what it stored is what is held. */
    void load(MailQueue queue) {
        synchronized (store) {
            try {
                Set<String> stored = queue.heldDestinations();
                held.retainAll(stored);
                held.addAll(stored);
                if (!stored.isEmpty()) {
                    LOG.info("Destinations held by an operator (stored in the queue): {}", new TreeSet<>(stored));
                }
            } catch (QueueException e) {
                LOG.warn("Cannot read the held destinations from the queue, keeping {}: {}", new TreeSet<>(held),
                        e.getMessage());
            }
        }
    }

    /** @param queue null while none is bound: the hold then lasts until a restart */
    void hold(String domain, MailQueue queue) throws QueueException {
        change(domain, true, queue);
    }

    void release(String domain, MailQueue queue) throws QueueException {
        change(domain, false, queue);
    }

    private void change(String domain, boolean hold, MailQueue queue) throws QueueException {
        synchronized (store) {
            if (held.contains(domain) == hold) {
                return;
            }
            Set<String> next = new HashSet<>(held);
            if (hold) {
                next.add(domain);
            } else {
                next.remove(domain);
            }
            boolean stored = queue != null && queue.storeHeldDestinations(Set.copyOf(next));
            if (hold) {
                held.add(domain);
            } else {
                held.remove(domain);
            }
            LOG.info("Destination {} {} by an operator{}", domain, hold ? "held" : "released",
                    stored ? "" : " (the queue does not store it: lasts until a restart)");
        }
    }
}
