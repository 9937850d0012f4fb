package dev.sluice.scheduler;

import dev.sluice.api.queue.QueuedMessage;
import dev.sluice.api.queue.QueuedRecipient;
import dev.sluice.api.ratelimit.EgressSource;
import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.routing.Route;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One message's recipients of one destination, loaded and split into batches, waiting for room on its path.
 * A destination queue has one being dispatched and at most {@link Waits#MAX} waiting aside, which bounds how many
 * full messages are in memory.
 */
final class Work {

    final Entry entry;
    final QueuedMessage message;
    final Route.Hops route;
    final EgressSource source;
    /** The path with the message's tenant key (if any), for message tokens. */
    final PathKey path;
    final StoredContent stored;
    private final ArrayDeque<List<QueuedRecipient>> batches;

    Work(Entry entry, QueuedMessage message, Route.Hops route, EgressSource source, PathKey path,
         List<List<QueuedRecipient>> batches, StoredContent stored) {
        this.entry = entry;
        this.message = message;
        this.route = route;
        this.source = source;
        this.path = path;
        this.stored = stored;
        this.batches = new ArrayDeque<>(batches);
    }

    /** The path without the tenant key: what connections, in-flight counts and the delivery are keyed by. */
    PathKey egress() {
        return path.egress();
    }

    boolean hasNext() {
        return !batches.isEmpty();
    }

    List<QueuedRecipient> next() {
        return batches.poll();
    }

    /** Batches not dispatched, e.g. when the destination was put on hold meanwhile. */
    int remaining() {
        return batches.size();
    }
}
