package dev.sluice.api.mail;

import java.util.Optional;

/**
 * The envelope sender of {@code MAIL FROM}: a mailbox, or the null reverse-path {@code <>} used by
 * bounces (RFC 5321 §4.5.5). A message with the null sender never causes a bounce.
 */
public record ReversePath(Optional<MailAddress> address) {

    public static final ReversePath NULL = new ReversePath(Optional.empty());

    public ReversePath {
        java.util.Objects.requireNonNull(address, "address (use ReversePath.NULL)");
    }

    public static ReversePath of(MailAddress address) {
        return new ReversePath(Optional.of(address));
    }

    /** Parses the text between the angle brackets: empty means the null sender. */
    public static ReversePath parse(String text) {
        return text.isEmpty() ? NULL : of(MailAddress.parse(text));
    }

    public boolean isNull() {
        return address.isEmpty();
    }

    @Override
    public String toString() {
        return address.map(MailAddress::toString).orElse("");
    }
}
