package dev.sluice.itests.e2e;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** One transaction a {@link TestSmtpServer} accepted: envelope, un-dot-stuffed content, and whether TLS was on. */
public record ReceivedMessage(String mailFrom, List<String> recipients, byte[] content, boolean tls) {

    public String text() {
        return new String(content, StandardCharsets.UTF_8);
    }

    /** The value of the first header field with this name, unfolded (RFC 5322 §2.2.3), or null. */
    public String header(String name) {
        String[] lines = text().split("\r\n");
        for (int i = 0; i < lines.length && !lines[i].isEmpty(); i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).equalsIgnoreCase(name)) {
                StringBuilder value = new StringBuilder(lines[i].substring(colon + 1));
                while (i + 1 < lines.length && (lines[i + 1].startsWith(" ") || lines[i + 1].startsWith("\t"))) {
                    value.append(lines[++i]);
                }
                return value.toString().strip();
            }
        }
        return null;
    }
}
