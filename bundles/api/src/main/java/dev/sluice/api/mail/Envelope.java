package dev.sluice.api.mail;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything about a message that is not its content (RFC 5321 envelope plus RFC 3461 DSN data).
 *
 * @param sender the MAIL FROM reverse-path
 * @param recipients the accepted recipients, in the order they were given, at least one
 * @param bodyType the BODY parameter
 * @param smtpUtf8 whether the client gave SMTPUTF8 (RFC 6531)
 * @param declaredSize the SIZE parameter, or 0 when none was given
 * @param dsnReturn the RET parameter
 * @param envelopeId the decoded ENVID parameter, or null
 * @param client who handed the message over
 * @param receivedAt when the transaction started
 */
public record Envelope(ReversePath sender, List<Recipient> recipients, BodyType bodyType, boolean smtpUtf8,
                       long declaredSize, DsnReturn dsnReturn, String envelopeId, ClientIdentity client,
                       Instant receivedAt) {

    public Envelope {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(bodyType, "bodyType");
        Objects.requireNonNull(dsnReturn, "dsnReturn");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(receivedAt, "receivedAt");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("an envelope needs at least one recipient");
        }
        if (declaredSize < 0) {
            throw new IllegalArgumentException("negative declared size");
        }
    }

    /** A copy with other recipients, e.g. the subset that one delivery attempt carries. */
    public Envelope withRecipients(List<Recipient> subset) {
        return new Envelope(sender, subset, bodyType, smtpUtf8, declaredSize, dsnReturn, envelopeId, client,
                receivedAt);
    }
}
