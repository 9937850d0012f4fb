package dev.sluice.itests.e2e;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** One transaction a {@link TestSmtpServer} accepted: envelope, un-dot-stuffed content, and whether TLS was on. */
public record ReceivedMessage(String mailFrom, List<String> recipients, byte[] content, boolean tls) {

    public String text() {
        return new String(content, StandardCharsets.UTF_8);
    }

    /** The value of the first header field with this name, or null. */
    public String header(String name) {
        for (String line : text().split("\r\n")) {
            if (line.isEmpty()) {
                return null;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }
}
