package dev.sluice.api.delivery;

import dev.sluice.api.mail.Recipient;
import dev.sluice.api.mail.Reply;
import java.util.Objects;

/**
 * The result of one attempt for one recipient.
 *
 * @param reply the remote reply, or a locally made one ({@code 451 4.4.1} connection failure, …)
 * @param remoteHost the host that answered as {@code name[address]}, or null when none was reached
 */
public record RecipientOutcome(Recipient recipient, Outcome outcome, Reply reply, String remoteHost) {

    public RecipientOutcome {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reply, "reply");
    }

    /** The outcome a reply code implies. */
    public static Outcome outcomeOf(Reply reply) {
        return reply.isPositive() ? Outcome.DELIVERED : reply.isTransient() ? Outcome.DEFERRED : Outcome.BOUNCED;
    }
}
