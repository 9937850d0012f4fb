package dev.sluice.api.queue;

import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.QueueId;
import java.util.List;
import java.util.Objects;

/**
 * A message in the queue with the persisted state of every recipient.
 *
 * @param size content size in bytes
 * @param held whether an operator put it on hold (not delivered until released)
 */
public record QueuedMessage(QueueId id, Envelope envelope, long size, List<QueuedRecipient> recipients,
                            boolean held) {

    public QueuedMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(envelope, "envelope");
        recipients = List.copyOf(recipients);
        if (recipients.size() != envelope.recipients().size()) {
            throw new IllegalArgumentException("recipient states do not match the envelope");
        }
    }

    /** True once every recipient is in a final state, so the message can leave the queue. */
    public boolean isComplete() {
        return recipients.stream().allMatch(r -> r.status().isFinal());
    }
}
