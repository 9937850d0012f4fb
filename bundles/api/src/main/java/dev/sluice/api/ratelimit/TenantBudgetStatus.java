package dev.sluice.api.ratelimit;

import java.time.Instant;
import java.util.Objects;

/**
 * What an operator sees of one tenant's (or campaign's) message budget to one site: the bucket a tenant rule (or the
 * default tenant rate) gives the pair, shared by every source and, with Redis, by every node.
 *
 * @param tenant the tenant key, as in {@link PathKey#tenant()}
 * @param site the site, as in {@link PathKey#site()}
 * @param rule the name of the tenant rule that sets the rate, or null when the shaper's default tenant rate does
 * @param messageRate the budget's rate
 * @param burst the most messages the budget lets go at once (when it is full)
 * @param available the messages it lets go now, 0 to {@code burst}
 * @param nextMessage when the next message may go; the time of the status itself when {@code available > 0}
 * @param lastUsed when a message of the tenant last took or asked for a token of this budget
 * @param shared true when the budget is counted in Redis for every node right now; false on a node alone, and while
 *        Redis is unreachable (each node then keeps to its share of the rate)
 * @since 1.2
 */
public record TenantBudgetStatus(String tenant, String site, String rule, Rate messageRate, long burst,
                                 long available, Instant nextMessage, Instant lastUsed, boolean shared) {

    public TenantBudgetStatus {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(messageRate, "messageRate");
        Objects.requireNonNull(nextMessage, "nextMessage");
        Objects.requireNonNull(lastUsed, "lastUsed");
        if (burst < 1 || available < 0 || available > burst) {
            throw new IllegalArgumentException("available must be 0 to burst (at least 1): " + available + " of "
                    + burst);
        }
    }
}
