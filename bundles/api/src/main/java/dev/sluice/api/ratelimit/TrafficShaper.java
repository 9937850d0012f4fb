package dev.sluice.api.ratelimit;

import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.HeaderField;
import dev.sluice.api.mail.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Outbound traffic shaping. Called by the scheduler and the SMTP client from any thread; every method is
 * non-blocking: a refusal says when to ask again instead of waiting.
 */
@org.osgi.annotation.versioning.ProviderType
public interface TrafficShaper {

    /** The egress source (from its pool, respecting warm-up schedules) for a message to a site. */
    EgressSource chooseSource(String site, Envelope envelope);

    /**
     * The header fields (names in lower case) {@link #path} reads a message's tenant key from; empty when it reads
     * none, so that the caller reads a message's header block only when someone needs it.
     *
     * @since 1.1
     */
    default Set<String> tenantHeaders() {
        return Set.of();
    }

    /**
     * The path for a message from {@code source} to {@code site}, with the message's tenant key when tenant keys
     * are configured (taken from a header field or the envelope).
     *
     * @param headers the message's header fields; may be empty when {@link #tenantHeaders} is
     * @since 1.1
     */
    default PathKey path(String site, EgressSource source, Envelope envelope, List<HeaderField> headers) {
        return new PathKey(site, source.name());
    }

    /** The path's limits now, including any adaptive reduction. */
    PathLimits limits(PathKey path);

    /**
     * A slot for a new connection, or empty when the path is at its concurrency or connection-rate limit,
     * suspended, or outside its sending window; then {@link #nextOpportunity} says when to ask again.
     */
    Optional<ConnectionPermit> tryOpenConnection(PathKey path);

    /** Takes a message token; false when the path's message rate (or its tenant's) is exhausted. */
    boolean tryAcquireMessage(PathKey path);

    /**
     * Takes a message token only when a connection can carry the message now: one of this node's open connections
     * on the path is free (the caller has {@code underWay} deliveries on the path, each holding or awaiting one), or
     * a new connection may open now. So a message that would wait for a connection slot takes no token; then
     * {@link #nextOpportunity} says when to ask again.
     *
     * @since 1.1
     */
    default boolean tryAcquireMessage(PathKey path, int underWay) {
        return tryAcquireMessage(path);
    }

    /** When the path may next open a connection or send a message (now if it may already). */
    Instant nextOpportunity(PathKey path);

    /** Every remote reply (and local connection failure) on the path, for adaptive backoff. */
    void onReply(PathKey path, Reply reply);

    /** Current state of every path with traffic or a suspension. */
    List<PathStatus> status();

    /**
     * The tenant budgets used recently (a message of the tenant took or asked for a token of one within the last
     * minutes), most recently used first; empty when there are none or tenant budgets are not implemented. Each entry
     * may cost the implementation a look-up in a shared store: for operators, not for every message.
     *
     * @since 1.2
     */
    default List<TenantBudgetStatus> tenantBudgets() {
        return List.of();
    }

    /** Operator suspension of every path to a site. */
    Suspension suspend(String site, Duration duration, String reason);

    /** Cancels automatic and manual suspensions and reductions of a site; false when there were none. */
    boolean resume(String site);

    Optional<Suspension> suspension(PathKey path);
}
