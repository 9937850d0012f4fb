package dev.sluice.routing.dns;

import java.net.IDN;
import java.util.Locale;

/** Normalises destination domains to the lower-case A-label form used for DNS and for matching. */
final class Domains {

    private Domains() {
    }

    /**
     * @return the lower-case A-label form without a trailing dot
     * @throws IllegalArgumentException with the reason when the text is not a usable domain
     */
    static String toAscii(String domain) {
        String d = domain.trim();
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        for (int i = 0; i < d.length(); i++) {
            if (d.charAt(i) >= 0x80) {
                d = IDN.toASCII(d, IDN.ALLOW_UNASSIGNED);
                break;
            }
        }
        d = d.toLowerCase(Locale.ROOT);
        if (!isHostName(d)) {
            throw new IllegalArgumentException("not a valid domain name");
        }
        return d;
    }

    /** LDH labels of 1 to 63 characters (underscores tolerated), at most 253 characters. */
    static boolean isHostName(String d) {
        if (d.isEmpty() || d.length() > 253) {
            return false;
        }
        for (String label : d.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '-' || c == '_';
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }
}
