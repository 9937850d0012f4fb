package dev.sluice.api.delivery;

import dev.sluice.api.mail.Recipient;
import dev.sluice.api.mail.Reply;
import java.time.Instant;
import java.util.Objects;

/**
 * One recipient in a delivery status notification.
 *
 * @param remoteMta the host that gave the reply, or null
 * @param lastAttempt when it was last tried, or null if never
 */
public record RecipientNotice(Recipient recipient, DsnAction action, Reply reply, String remoteMta,
                              Instant lastAttempt) {

    public RecipientNotice {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reply, "reply");
    }
}
