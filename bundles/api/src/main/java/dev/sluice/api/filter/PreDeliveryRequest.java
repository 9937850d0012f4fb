package dev.sluice.api.filter;

import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.HeaderField;
import dev.sluice.api.mail.MessageContent;
import dev.sluice.api.mail.QueueId;
import java.util.List;
import java.util.Objects;

/**
 * A queued message about to be delivered to a batch of recipients ({@code envelope.recipients()}).
 * A Reject bounces the batch, a TempFail defers it, Discard drops it, ModifyHeaders changes what is sent
 * (e.g. a DKIM signature) without changing the queued copy.
 */
public record PreDeliveryRequest(QueueId queueId, Envelope envelope, List<HeaderField> headers,
                                 MessageContent content) {
    public PreDeliveryRequest {
        Objects.requireNonNull(queueId, "queueId");
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(content, "content");
        headers = List.copyOf(headers);
    }
}
