package dev.sluice.dsn;

import dev.sluice.api.delivery.BounceCategory;
import dev.sluice.api.mail.Reply;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One classification rule: a regular expression searched in {@link #subject(Reply)}.
 *
 * @param origin file and line the rule came from, for diagnostics
 */
record BounceRule(BounceCategory category, Pattern pattern, String origin) {

    BounceRule {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(origin, "origin");
    }

    boolean matches(String subject) {
        return pattern.matcher(subject).find();
    }

    /**
     * The text rules are matched against: {@code "550 5.1.1 text"}, or {@code "550 text"} without an enhanced
     * code. One line, so that rule authors need not think about multi-line replies.
     */
    static String subject(Reply reply) {
        StringBuilder out = new StringBuilder(reply.text().length() + 16).append(reply.code()).append(' ');
        if (reply.enhancedStatus() != null) {
            out.append(reply.enhancedStatus()).append(' ');
        }
        return out.append(reply.text().replace('\n', ' ')).toString();
    }
}
