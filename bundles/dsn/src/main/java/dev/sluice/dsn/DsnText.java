package dev.sluice.dsn;

import dev.sluice.api.delivery.DsnAction;
import dev.sluice.api.delivery.RecipientNotice;
import java.time.Instant;
import java.util.List;

/** The human-readable first part of a DSN (RFC 6522 §3): what happened, per recipient, in plain words. */
final class DsnText {

    private static final int WIDTH = 76;

    private DsnText() {
    }

    /**
     * @param retryUntil when delayed recipients will be given up, or null when unknown
     * @param originalNote one sentence on what of the original is attached
     */
    static String of(String reportingMta, List<RecipientNotice> notices, Instant retryUntil, String originalNote) {
        StringBuilder out = new StringBuilder(512);
        line(out, "This is the mail delivery system at " + reportingMta + ".");
        line(out, "");
        section(out, notices, DsnAction.FAILED,
                "Your message could not be delivered to the following recipients. This is a permanent error;"
                        + " it will not be retried:");
        section(out, notices, DsnAction.DELAYED, "Delivery to the following recipients has been delayed. "
                + (retryUntil == null ? "Delivery will be retried;" : "Delivery will be retried until "
                + MailText.date(retryUntil) + ";") + " you do not need to resend the message:");
        section(out, notices, DsnAction.DELIVERED, "Your message was delivered to the following recipients:");
        section(out, notices, DsnAction.RELAYED, "Your message was relayed to the following recipients; their "
                + "destination does not report delivery status:");
        section(out, notices, DsnAction.EXPANDED, "Your message was delivered to the following recipients and "
                + "expanded to further ones:");
        line(out, originalNote);
        return out.toString();
    }

    private static void section(StringBuilder out, List<RecipientNotice> notices, DsnAction action, String intro) {
        List<RecipientNotice> those = notices.stream().filter(n -> n.action() == action).toList();
        if (those.isEmpty()) {
            return;
        }
        line(out, intro);
        line(out, "");
        for (RecipientNotice notice : those) {
            String remote = DeliveryStatusFields.remoteMta(notice.remoteMta());
            line(out, "  <" + notice.recipient().address() + ">: "
                    + (remote == null ? "" : "host " + remote + " said: ")
                    + MailText.printable(notice.reply().toString()));
        }
        line(out, "");
    }

    /** Wraps at spaces so that long remote replies stay readable (and far below the 998-octet limit). */
    private static void line(StringBuilder out, String text) {
        String indent = text.startsWith(" ") ? "    " : ""; // recipient lines continue indented
        int lineStart = out.length();
        boolean lineHasWord = false;
        for (String word : text.split(" ")) {
            if (lineHasWord && out.length() - lineStart + 1 + word.length() > WIDTH) {
                out.append("\r\n").append(indent);
                lineStart = out.length() - indent.length();
                lineHasWord = false;
            }
            out.append(lineHasWord ? " " : "").append(word);
            lineHasWord = true;
        }
        out.append("\r\n");
    }
}
