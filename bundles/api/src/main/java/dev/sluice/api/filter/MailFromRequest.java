package dev.sluice.api.filter;

import dev.sluice.api.mail.ClientIdentity;
import dev.sluice.api.mail.ReversePath;
import java.util.Map;
import java.util.Objects;

/** A syntactically valid, in-sequence MAIL FROM; parameters by upper-case keyword. */
public record MailFromRequest(ClientIdentity client, ReversePath sender, Map<String, String> parameters) {
    public MailFromRequest {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(sender, "sender");
        parameters = Map.copyOf(parameters);
    }
}
