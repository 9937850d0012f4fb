package dev.sluice.api.mail;

import java.util.Objects;

/**
 * One RFC 5322 header field. The value is unfolded text without the trailing CRLF; it may contain
 * folding CRLF followed by white space if it was received that way.
 */
public record HeaderField(String name, String value) {

    public HeaderField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 32 || c >= 127 || c == ':') {
                throw new IllegalArgumentException("invalid character in header name: " + name);
            }
        }
        if (hasBareLineBreak(value)) {
            throw new IllegalArgumentException("bare line break in header value of " + name);
        }
    }

    /** A CR or LF that is not part of a fold (CRLF followed by a space or tab). */
    private static boolean hasBareLineBreak(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r') {
                if (i + 2 >= value.length() || value.charAt(i + 1) != '\n'
                        || value.charAt(i + 2) != ' ' && value.charAt(i + 2) != '\t') {
                    return true;
                }
                i++; // the LF of the fold
            } else if (c == '\n') {
                return true;
            }
        }
        return false;
    }

    public boolean hasName(String other) {
        return name.equalsIgnoreCase(other);
    }

    /** The field as written in a message, CRLF-terminated. */
    public String toWire() {
        return name + ": " + value + "\r\n";
    }
}
