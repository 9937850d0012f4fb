package dev.sluice.api.queue;

import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.MessageContent;
import dev.sluice.api.mail.QueueId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The durable queue. Called by the SMTP listener (to receive), by the scheduler (to read state and record
 * outcomes), by the DSN bundle (to queue bounces) and by administration. Thread-safe; methods may block on
 * disk I/O, so callers must not call them on network I/O threads. Failures are {@link QueueException}s
 * carrying the SMTP reply that fits.
 */
@org.osgi.annotation.versioning.ProviderType
public interface MailQueue {

    /**
     * Starts receiving a message. Refused with {@code 452 4.3.1} when free space or inodes are below the
     * floor and {@code 451 4.3.0} when storage fails.
     */
    MessageWriter open(Envelope envelope) throws QueueException;

    /** The full persisted state of a message, or empty if it is not (or no longer) in the queue. */
    Optional<QueuedMessage> get(QueueId id) throws QueueException;

    /** The content of a queued message, streamed from storage. */
    MessageContent content(QueueId id) throws QueueException;

    /**
     * Durably records recipient state changes (fsynced before return). When every recipient of the
     * message is final afterwards, the message is removed from the queue.
     */
    void update(QueueId id, List<RecipientUpdate> updates) throws QueueException;

    /** Puts a message on hold or releases it; durable before return. */
    void setHeld(QueueId id, boolean held) throws QueueException;

    /** Removes a message without further notice (administrative delete). */
    void remove(QueueId id) throws QueueException;

    /**
     * Streams the index entry of every queued message, in no particular order, from the in-memory index:
     * this is how a scheduler learns what was queued before it started. Entries added during the walk may
     * or may not be seen; they are also announced to {@link QueueListener}s.
     */
    void forEach(Consumer<QueueEntry> action);

    /** Number of messages in the queue. */
    long size();

    /**
     * The destinations an operator held as a whole (see {@link QueueAdmin#heldDestinations()}), as last stored
     * with {@link #storeHeldDestinations}, so that a hold outlives a restart. Empty for a queue that does not
     * store them.
     *
     * @since 1.1
     */
    default Set<String> heldDestinations() throws QueueException {
        return Set.of();
    }

    /**
     * Durably replaces the held destinations (on stable storage before return).
     *
     * @return false when this queue does not store them (holds then last until a restart)
     * @throws QueueException when they cannot be stored
     * @since 1.1
     */
    default boolean storeHeldDestinations(Set<String> destinations) throws QueueException {
        return false;
    }
}
