package dev.sluice.dsn;

/**
 * Builds one JSON object on one line (RFC 8259). Hand-written because it is on the delivery hot path and the
 * bundle should not pull a JSON library into the runtime for a flat object of strings and numbers.
 */
final class JsonLine {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out = new StringBuilder(512).append('{');
    private boolean empty = true;

    JsonLine string(String name, String value) {
        name(name);
        if (value == null) {
            out.append("null");
        } else {
            quote(out, value);
        }
        return this;
    }

    JsonLine number(String name, long value) {
        name(name);
        out.append(value);
        return this;
    }

    /** A number, or null when absent (e.g. no reply code). */
    JsonLine number(String name, Integer value) {
        name(name);
        out.append(value == null ? "null" : value.toString());
        return this;
    }

    @Override
    public String toString() {
        return out + "}";
    }

    private void name(String name) {
        if (!empty) {
            out.append(',');
        }
        empty = false;
        quote(out, name);
        out.append(':');
    }

    /**
     * Escapes quotes, backslashes and control characters as RFC 8259 requires, and every non-ASCII character
     * as {@code \}{@code uXXXX} (surrogate pairs stay pairs): the line is then plain ASCII and cannot be
     * corrupted by whatever charset the log appender is configured with. U+2028/U+2029 are escaped too, which
     * keeps the lines safe for JavaScript consumers.
     */
    static void quote(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c >= 0x7f) {
                        out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf])
                                .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
