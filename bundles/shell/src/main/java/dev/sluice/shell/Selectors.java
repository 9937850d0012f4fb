package dev.sluice.shell;

import dev.sluice.api.mail.MailAddress;
import dev.sluice.api.mail.QueueId;
import dev.sluice.api.queue.QueueSelector;

/** Command options to queue selectors; empty options mean "not given". */
final class Selectors {

    private Selectors() {
    }

    /** The selector for the options, or null when none was given. */
    static QueueSelector of(String sender, String recipient, String destination, String senderDomain,
                            boolean heldOnly) {
        QueueSelector s = new QueueSelector(null, blankToNull(sender), blankToNull(recipient),
                destination.isBlank() ? null : domain(destination), senderDomain.isBlank() ? null : domain(senderDomain),
                null, heldOnly ? Boolean.TRUE : null, false);
        return s.hasCriteria() ? s : null;
    }

    static QueueId id(String value) {
        try {
            return new QueueId(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a queue id: " + value + " (1 to 40 letters and digits)", e);
        }
    }

    static String domain(String value) {
        try {
            // MailAddress validates the domain (labels, IDN); toAsciiDomain alone does not.
            return new MailAddress("postmaster", value.strip()).asciiDomain();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a domain: " + value, e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
