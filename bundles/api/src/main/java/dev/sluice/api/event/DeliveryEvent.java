package dev.sluice.api.event;

import dev.sluice.api.mail.QueueId;
import dev.sluice.api.mail.Reply;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of the delivery log: a reception, an attempt's outcome, or a final state. Fields that do not apply
 * are null (or 0).
 *
 * @param messageId the Message-ID header, or null
 * @param sender the envelope sender, empty for the null sender
 * @param recipient the recipient this event is about; null for RECEIVED (which covers the whole message)
 * @param destination the recipient's ASCII domain
 * @param remoteHost the remote host name, or the client's HELO for RECEIVED
 * @param remoteIp the address of the remote host or client
 * @param classification the {@link dev.sluice.api.delivery.BounceCategory} label for failures
 * @param attempt the attempt number for the recipient, 0 for RECEIVED
 */
public record DeliveryEvent(Kind kind, Instant at, QueueId queueId, String messageId, String sender,
                            String recipient, String destination, String remoteHost, String remoteIp,
                            String tlsProtocol, Reply reply, String classification, int attempt, long size) {

    public enum Kind {
        RECEIVED, DELIVERED, DEFERRED, BOUNCED, EXPIRED, DELAY_NOTIFIED
    }

    public DeliveryEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(queueId, "queueId");
        Objects.requireNonNull(sender, "sender");
    }
}
