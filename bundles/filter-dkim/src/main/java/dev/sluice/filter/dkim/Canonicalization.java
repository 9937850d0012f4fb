package dev.sluice.filter.dkim;

import java.io.OutputStream;
import java.util.Locale;

/**
 * The two DKIM canonicalization algorithms (RFC 6376 §3.4). Header fields are handled as ISO-8859-1 strings
 * so that every byte, 8-bit ones included, maps to one char and back unchanged.
 */
enum Canonicalization {
    SIMPLE, RELAXED;

    /** "relaxed" or "simple", as in the c= tag. */
    String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Canonicalization of(String tag) {
        for (Canonicalization c : values()) {
            if (c.tag().equals(tag)) {
                return c;
            }
        }
        throw new IllegalArgumentException("'" + tag + "' is neither simple nor relaxed");
    }

    /**
     * One header field, given as read including its CRLF; the result ends with CRLF too.
     * Relaxed (§3.4.2): lower-case name, unfolded, runs of WSP as one SP, no WSP around the colon or at the end.
     */
    String header(String raw) {
        if (this == SIMPLE) {
            return raw;
        }
        int colon = raw.indexOf(':');
        if (colon < 0) {
            return raw; // not a field: never selected by name, kept as is
        }
        String name = stripWsp(raw.substring(0, colon)).toLowerCase(Locale.ROOT);
        StringBuilder value = new StringBuilder(raw.length() - colon);
        boolean space = false;
        for (int i = colon + 1; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\r' && i + 1 < raw.length() && raw.charAt(i + 1) == '\n') {
                i++; // unfold: the CRLF goes, the WSP after it counts as WSP
            } else if (c == ' ' || c == '\t') {
                space = true;
            } else {
                if (space && value.length() > 0) {
                    value.append(' ');
                }
                space = false;
                value.append(c);
            }
        }
        return name + ":" + value + "\r\n";
    }

    /** A stream that writes the canonical form of the body bytes written to it into {@code sink}. */
    BodyCanonicalizer body(OutputStream sink) {
        return new BodyCanonicalizer(sink, this == RELAXED);
    }

    private static String stripWsp(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return s.substring(0, end);
    }
}
