package dev.sluice.api.delivery;

import dev.sluice.api.queue.QueueException;
import dev.sluice.api.queue.QueuedMessage;
import java.util.List;
import java.util.Optional;
import dev.sluice.api.mail.QueueId;

/**
 * Sends RFC 3464 delivery status notifications. Called by the scheduler after recording final or delayed
 * states. One call makes at most one DSN covering all the given recipients; recipients whose NOTIFY does not
 * ask for the action are left out, and nothing is sent for the null sender.
 */
@org.osgi.annotation.versioning.ProviderType
public interface BounceService {

    /** @return the queue id of the DSN, or empty when none was due */
    Optional<QueueId> notify(QueuedMessage message, List<RecipientNotice> recipients) throws QueueException;
}
