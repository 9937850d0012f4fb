package dev.sluice.api.mail;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An SMTP reply (RFC 5321 §4.2) with its enhanced status code (RFC 3463), as sent to a client or
 * received from a remote server. Every reply Sluice sends carries an enhanced code (RFC 2034).
 *
 * @param code the three-digit reply code, 200 to 599
 * @param enhancedStatus {@code class.subject.detail}, e.g. {@code 5.1.1}; null only for replies received
 *     from servers that do not send one
 * @param text the human-readable text; lines separated by {@code \n} become a multi-line reply
 */
public record Reply(int code, String enhancedStatus, String text) {

    private static final Pattern ENHANCED = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

    public Reply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        Objects.requireNonNull(text, "text");
        if (enhancedStatus != null) {
            if (!ENHANCED.matcher(enhancedStatus).matches()) {
                throw new IllegalArgumentException("malformed enhanced status code: " + enhancedStatus);
            }
            if (enhancedStatus.charAt(0) != Character.forDigit(code / 100, 10) && code / 100 != 3) {
                throw new IllegalArgumentException("enhanced status " + enhancedStatus + " disagrees with " + code);
            }
        }
        if (text.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("carriage return in reply text");
        }
    }

    public static Reply of(int code, String enhancedStatus, String text) {
        return new Reply(code, enhancedStatus, text);
    }

    public boolean isPositive() {
        return code < 400;
    }

    public boolean isTransient() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanent() {
        return code >= 500;
    }

    public List<String> lines() {
        return List.of(text.split("\n", -1));
    }

    /** The reply as sent on the wire, every line with the code and (if any) the enhanced code, CRLF-terminated. */
    public String toWire() {
        List<String> lines = lines();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            out.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            if (enhancedStatus != null) {
                out.append(enhancedStatus).append(' ');
            }
            out.append(lines.get(i)).append("\r\n");
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return code + (enhancedStatus == null ? "" : " " + enhancedStatus) + " " + text.replace('\n', ' ');
    }
}
