package dev.sluice.api.queue;

import dev.sluice.api.mail.HeaderField;
import java.util.List;

/** A queued message as an operator inspects it: state, attempts and the message's header. */
public record MessageDetail(QueuedMessage message, List<HeaderField> headers) {

    public MessageDetail {
        headers = List.copyOf(headers);
    }
}
