package dev.sluice.api.queue;

import java.time.Instant;
import java.util.Objects;

/**
 * A state change of one recipient, persisted by {@link MailQueue#update}.
 *
 * @param index the recipient's {@link QueuedRecipient#index()}
 * @param attempt the attempt that caused the change, appended to the history; null for administrative changes
 */
public record RecipientUpdate(int index, RecipientStatus status, Instant nextAttempt, Attempt attempt) {

    public RecipientUpdate {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(nextAttempt, "nextAttempt");
        if (index < 0) {
            throw new IllegalArgumentException("negative recipient index");
        }
    }
}
