package dev.sluice.api.mail;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One {@code RCPT TO} with its DSN parameters (RFC 3461 §4.1, §4.2).
 *
 * @param address the forward-path
 * @param notifyOn the NOTIFY keywords; empty when the client gave none (then failures and delays are reported)
 * @param originalRecipient the decoded ORCPT value including its address type ({@code rfc822;user@example.com}),
 *     or null when the client gave none
 */
public record Recipient(MailAddress address, Set<Notify> notifyOn, String originalRecipient) {

    public Recipient {
        Objects.requireNonNull(address, "address");
        notifyOn = notifyOn.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(notifyOn));
        if (notifyOn.contains(Notify.NEVER) && notifyOn.size() > 1) {
            throw new IllegalArgumentException("NOTIFY=NEVER cannot be combined with other keywords");
        }
        if (originalRecipient != null && originalRecipient.indexOf(';') <= 0) {
            throw new IllegalArgumentException("ORCPT needs an address type: " + originalRecipient);
        }
    }

    public static Recipient of(MailAddress address) {
        return new Recipient(address, Set.of(), null);
    }

    /** Whether a DSN of this kind is wanted, applying the RFC 3461 default (FAILURE and DELAY). */
    public boolean wants(Notify kind) {
        if (notifyOn.isEmpty()) {
            return kind == Notify.FAILURE || kind == Notify.DELAY;
        }
        return notifyOn.contains(kind);
    }
}
