package dev.sluice.api.filter;

import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.HeaderField;
import dev.sluice.api.mail.MessageContent;
import java.util.List;
import java.util.Objects;

/**
 * The whole message at end of DATA, before the 250: the header as parsed, and the content streamed from the
 * spool (including the header).
 */
public record DataRequest(Envelope envelope, List<HeaderField> headers, MessageContent content) {
    public DataRequest {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(content, "content");
        headers = List.copyOf(headers);
    }
}
