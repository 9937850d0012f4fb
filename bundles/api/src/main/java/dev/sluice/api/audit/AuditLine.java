package dev.sluice.api.audit;

import java.time.Instant;

/**
 * One audit line: {@code at=<instant> via=<front end> user="…" action="…" target="…" result="…"}. Values are
 * quoted and their control characters replaced, so nothing a user typed can forge a line or a field.
 */
public final class AuditLine {

    /** The logger every admin front end writes its audit lines to. */
    public static final String LOGGER = "dev.sluice.audit";

    private AuditLine() {
    }

    public static String format(Instant at, String via, String user, String action, String target, String result) {
        return "at=" + at + " via=" + via + " user=" + quote(user) + " action=" + quote(action) + " target="
                + quote(target) + " result=" + quote(result);
    }

    /** {@code -} for null; otherwise the value in double quotes, with {@code "} as {@code '} and controls as {@code ?}. */
    public static String quote(String value) {
        if (value == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c == '"' ? '\'' : c);
        }
        return out.append('"').toString();
    }
}
