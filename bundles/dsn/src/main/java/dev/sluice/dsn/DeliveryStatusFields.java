package dev.sluice.dsn;

import dev.sluice.api.delivery.DsnAction;
import dev.sluice.api.delivery.RecipientNotice;
import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.queue.QueuedMessage;
import java.time.Instant;
import java.util.List;

/** The body of the {@code message/delivery-status} part (RFC 3464 §2.2 and §2.3). */
final class DeliveryStatusFields {

    private DeliveryStatusFields() {
    }

    /**
     * @param retryUntil when delayed recipients will be given up, or null when unknown
     */
    static String of(String reportingMta, QueuedMessage message, List<RecipientNotice> notices, Instant retryUntil) {
        Envelope envelope = message.envelope();
        StringBuilder out = new StringBuilder(256 + 256 * notices.size());
        MailText.field(out, "Reporting-MTA", "dns; " + reportingMta);
        MailText.field(out, "X-Sluice-Queue-ID", message.id().value());
        if (envelope.envelopeId() != null) {
            MailText.field(out, "Original-Envelope-Id", MailText.printable(envelope.envelopeId()));
        }
        MailText.field(out, "Arrival-Date", MailText.date(envelope.receivedAt()));
        for (RecipientNotice notice : notices) {
            out.append("\r\n");
            recipient(out, notice, retryUntil);
        }
        return out.toString();
    }

    private static void recipient(StringBuilder out, RecipientNotice notice, Instant retryUntil) {
        Reply reply = notice.reply();
        if (notice.recipient().originalRecipient() != null) {
            MailText.field(out, "Original-Recipient", MailText.typedOriginal(notice.recipient().originalRecipient()));
        }
        MailText.field(out, "Final-Recipient", MailText.typedAddress(notice.recipient().address()));
        MailText.field(out, "Action", notice.action().keyword());
        MailText.field(out, "Status", status(notice));
        String remote = remoteMta(notice.remoteMta());
        if (remote != null) {
            MailText.field(out, "Remote-MTA", "dns; " + remote);
            MailText.field(out, "Diagnostic-Code", "smtp; " + MailText.printable(reply.code() + " "
                    + (reply.enhancedStatus() == null ? "" : reply.enhancedStatus() + " ") + reply.text()));
        } else {
            // No remote server said this (connection or DNS failure made locally): not an "smtp" diagnostic.
            MailText.field(out, "Diagnostic-Code", "X-Sluice; " + MailText.printable(reply.toString()));
        }
        if (notice.lastAttempt() != null) {
            MailText.field(out, "Last-Attempt-Date", MailText.date(notice.lastAttempt()));
        }
        if (notice.action() == DsnAction.DELAYED && retryUntil != null) {
            MailText.field(out, "Will-Retry-Until", MailText.date(retryUntil));
        }
    }

    /** The enhanced code, or the generic one of the action's class when the remote sent none. */
    static String status(RecipientNotice notice) {
        String enhanced = notice.reply().enhancedStatus();
        if (enhanced != null) {
            return enhanced;
        }
        return switch (notice.action()) {
            case FAILED -> notice.reply().isTransient() ? "4.0.0" : "5.0.0";
            case DELAYED -> "4.0.0";
            case DELIVERED, RELAYED, EXPANDED -> "2.0.0";
        };
    }

    /**
     * The host name part of {@code name[address]} (the delivery agent's convention); a bare address literal
     * is kept; the {@code dns}-style placeholders of attempts that reached no host yield null.
     */
    static String remoteMta(String remote) {
        if (remote == null || remote.isBlank()) {
            return null;
        }
        String host = MailText.printable(remote);
        int bracket = host.indexOf('[');
        if (bracket > 0) {
            return host.substring(0, bracket);
        }
        return bracket == 0 || host.contains(".") ? host : null;
    }
}
