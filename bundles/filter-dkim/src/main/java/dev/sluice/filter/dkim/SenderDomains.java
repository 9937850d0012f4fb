package dev.sluice.filter.dkim;

import dev.sluice.api.mail.HeaderField;
import java.net.IDN;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which messages a key signs: those whose From header field names only addresses in the sender domains
 * (DMARC aligns on the From domain, not on the envelope sender).
 */
final class SenderDomains {

    private final List<String> domains;
    private final boolean includeSubdomains;

    SenderDomains(List<String> domains, boolean includeSubdomains) {
        this.domains = domains.stream().map(SenderDomains::normalise).toList();
        this.includeSubdomains = includeSubdomains;
    }

    /** True when the header has exactly one From field and every address in it is in a sender domain. */
    boolean covers(List<HeaderField> header) {
        List<HeaderField> from = header.stream().filter(f -> f.hasName("From")).toList();
        if (from.size() != 1) {
            return false; // RFC 5322 allows one; DMARC receivers reject more
        }
        List<String> found = addressDomains(from.get(0).value());
        return !found.isEmpty() && found.stream().allMatch(this::covers);
    }

    boolean covers(String domain) {
        String d = normalise(domain);
        return domains.stream().anyMatch(s -> d.equals(s) || includeSubdomains && d.endsWith("." + s));
    }

    List<String> domains() {
        return domains;
    }

    /** The domain of every address in a From value, skipping quoted strings and comments. */
    static List<String> addressDomains(String value) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                i++;
            } else if (quoted) {
                quoted = c != '"';
            } else if (c == '"' && depth == 0) {
                quoted = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (c == '@' && depth == 0) {
                int end = i + 1;
                while (end < value.length() && ">,;()<\" \t\r\n".indexOf(value.charAt(end)) < 0) {
                    end++;
                }
                if (end > i + 1) {
                    out.add(value.substring(i + 1, end));
                }
                i = end - 1;
            }
        }
        return out;
    }

    /** Lower-case A-label form without a trailing dot; IDNs compare in their ASCII form. */
    static String normalise(String domain) {
        String d = domain.strip();
        d = d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
        try {
            d = IDN.toASCII(d, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            // not a valid IDN: compared as written, it will simply not match
        }
        return d.toLowerCase(Locale.ROOT);
    }
}
