package dev.sluice.smtp.server;

import dev.sluice.api.mail.ClientIdentity;
import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.QueueId;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The RFC 5321 §4.4 trace field, with the RFC 3848 protocol keyword and TLS details. */
final class ReceivedHeader {

    private ReceivedHeader() {
    }

    static byte[] render(Envelope envelope, QueueId id, String hostname, boolean extended) {
        ClientIdentity c = envelope.client();
        String protocol = (extended ? "ESMTP" : "SMTP") + (extended && c.isTls() ? "S" : "")
                + (extended && c.isAuthenticated() ? "A" : "");
        StringBuilder h = new StringBuilder("Received: from ");
        h.append(sanitize(c.helo() == null ? "unknown" : c.helo()))
                .append(" ([").append(c.remote().getAddress().getHostAddress()).append("])\r\n");
        if (c.isTls()) {
            h.append("\t(using ").append(c.tlsProtocol()).append(" with cipher ").append(c.tlsCipher()).append(")\r\n");
        }
        h.append("\tby ").append(hostname).append(" (Sluice) with ").append(protocol).append(" id ").append(id);
        if (envelope.recipients().size() == 1) {
            h.append("\r\n\tfor <").append(sanitize(envelope.recipients().get(0).address().toString())).append('>');
        }
        h.append(";\r\n\t").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(
                envelope.receivedAt().atZone(ZoneOffset.UTC))).append("\r\n");
        return h.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Client-supplied text must not break the header structure. */
    private static String sanitize(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c == 0x7f || c == '(' || c == ')' || c == ';' ? '?' : c);
        }
        return out.toString();
    }
}
