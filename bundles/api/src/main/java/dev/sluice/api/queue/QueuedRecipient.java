package dev.sluice.api.queue;

import dev.sluice.api.mail.Recipient;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A recipient of a queued message with its persisted state.
 *
 * @param index position in the envelope's recipient list; the key for {@link RecipientUpdate}
 * @param nextAttempt when it is due again; meaningful for PENDING and DEFERRED
 * @param attempts the attempt history, oldest first
 */
public record QueuedRecipient(int index, Recipient recipient, RecipientStatus status, Instant nextAttempt,
                              List<Attempt> attempts) {

    public QueuedRecipient {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(nextAttempt, "nextAttempt");
        attempts = List.copyOf(attempts);
        if (index < 0) {
            throw new IllegalArgumentException("negative recipient index");
        }
    }
}
