package dev.sluice.webconsole;

import static dev.sluice.webconsole.Html.text;

import dev.sluice.api.mail.ClientIdentity;
import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.HeaderField;
import dev.sluice.api.queue.Attempt;
import dev.sluice.api.queue.MessageDetail;
import dev.sluice.api.queue.QueuedMessage;
import dev.sluice.api.queue.QueuedRecipient;
import java.io.PrintWriter;
import java.util.Map;

/** One message: envelope, every recipient's state and attempts, the header, and its actions. */
final class MessageView {

    private MessageView() {
    }

    static void render(PrintWriter pw, MessageDetail detail, String root, String token) {
        QueuedMessage m = detail.message();
        Envelope env = m.envelope();
        ClientIdentity client = env.client();
        pw.println("<h3>Message " + text(m.id()) + "</h3>");
        Map<String, String> fields = Map.of(QueueActions.SCOPE, "message", QueueActions.ID, m.id().value(), "show",
                m.id().value());
        pw.println("<p>" + Html.actionForm(root, token, fields, null, false,
                "data-queue-id='" + Html.attr(m.id().value()) + "'", "retry", "hold", "release")
                + Html.actionForm(root, token, fields, "Delete " + m.id() + "?", false, null, "delete", "bounce") + "</p>");
        pw.print("<table class='nicetable' id='sluice-envelope'><tbody>");
        row(pw, "sender", env.sender().isNull() ? "<> (null sender)" : env.sender().toString());
        row(pw, "size (bytes)", m.size());
        row(pw, "held", m.held() ? "yes" : "no");
        row(pw, "received at", env.receivedAt());
        row(pw, "client", client.remote() + " helo=" + client.helo() + " listener=" + client.listener()
                + (client.isTls() ? " " + client.tlsProtocol() + " " + client.tlsCipher() : " no TLS")
                + (client.isAuthenticated() ? " auth=" + client.authenticatedUser() : ""));
        row(pw, "envelope id", env.envelopeId());
        row(pw, "DSN return", env.dsnReturn());
        row(pw, "body / SMTPUTF8", env.bodyType() + (env.smtpUtf8() ? " / SMTPUTF8" : ""));
        pw.println("</tbody></table>");
        pw.print("<h4>Recipients</h4><table class='nicetable' id='sluice-recipients'><thead><tr><th>#</th>"
                + "<th>recipient</th><th>state</th><th>next attempt</th><th>attempts</th></tr></thead><tbody>");
        for (QueuedRecipient r : m.recipients()) {
            pw.print("<tr><td>" + r.index() + "</td><td>" + text(r.recipient().address()) + "</td><td>"
                    + text(r.status()) + "</td><td>" + (r.status().isFinal() ? "" : text(r.nextAttempt())) + "</td><td>");
            for (Attempt a : r.attempts()) {
                pw.print(text(a.at()) + " " + text(a.remoteHost()) + ": " + text(a.reply()) + "<br>");
            }
            pw.println("</td></tr>");
        }
        pw.println("</tbody></table>");
        pw.print("<h4>Header</h4><table class='nicetable' id='sluice-headers'><tbody>");
        for (HeaderField h : detail.headers()) {
            pw.print("<tr><td>" + text(h.name()) + "</td><td>" + text(h.value()) + "</td></tr>");
        }
        pw.println("</tbody></table>");
    }

    private static void row(PrintWriter pw, String name, Object value) {
        pw.print("<tr><th>" + text(name) + "</th><td>" + text(value) + "</td></tr>");
    }
}
