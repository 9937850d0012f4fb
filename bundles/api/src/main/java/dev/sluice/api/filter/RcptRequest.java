package dev.sluice.api.filter;

import dev.sluice.api.mail.ClientIdentity;
import dev.sluice.api.mail.Recipient;
import dev.sluice.api.mail.ReversePath;
import java.util.Objects;

/**
 * A syntactically valid, in-sequence RCPT TO that passed relay control.
 *
 * @param acceptedSoFar how many recipients this transaction has accepted already
 */
public record RcptRequest(ClientIdentity client, ReversePath sender, Recipient recipient, int acceptedSoFar) {
    public RcptRequest {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(recipient, "recipient");
    }
}
