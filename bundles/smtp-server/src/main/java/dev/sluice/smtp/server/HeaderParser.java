package dev.sluice.smtp.server;

import dev.sluice.api.mail.HeaderField;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Parses the RFC 5322 header block at the start of a message; lines that are not fields end the header. */
final class HeaderParser {

    private HeaderParser() {
    }

    /** Parsed fields and the byte offset just after the last of them. */
    record Parsed(List<HeaderField> fields, int end) {
    }

    /**
     * The fields in {@code bytes[0..length)}; stops at the blank line, at malformed input or at the end. Decoded
     * as ISO-8859-1 so that offsets are byte offsets; {@link #forFilters} gives the UTF-8 view.
     */
    static Parsed parse(byte[] bytes, int length) {
        String text = new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
        List<HeaderField> fields = new ArrayList<>();
        int pos = 0;
        while (pos < text.length()) {
            int end = fieldEnd(text, pos);
            if (end < 0) {
                break;
            }
            String field = text.substring(pos, end);
            int colon = field.indexOf(':');
            if (colon <= 0) {
                break;
            }
            try {
                String value = field.substring(colon + 1);
                fields.add(new HeaderField(field.substring(0, colon).strip(),
                        value.startsWith(" ") ? value.substring(1) : value));
            } catch (IllegalArgumentException e) {
                break;
            }
            pos = end + 2;
        }
        return new Parsed(fields, pos);
    }

    /** RFC 6532 header values are UTF-8; valid UTF-8 survives the round trip byte for byte. */
    static List<HeaderField> forFilters(List<HeaderField> raw) {
        return raw.stream().map(f -> new HeaderField(f.name(), new String(
                f.value().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8))).toList();
    }

    /** Offset of the CRLF ending the field that starts at {@code pos}, following folded lines; -1 if none. */
    private static int fieldEnd(String text, int pos) {
        int from = pos;
        while (true) {
            int crlf = text.indexOf("\r\n", from);
            if (crlf < 0 || crlf == pos) {
                return -1;
            }
            if (crlf + 2 < text.length() && (text.charAt(crlf + 2) == ' ' || text.charAt(crlf + 2) == '\t')) {
                from = crlf + 2;
                continue;
            }
            return crlf;
        }
    }

    /** Offset just after the blank line ending the header, or -1 if {@code bytes[0..length)} has none. */
    static int headerLength(byte[] bytes, int length) {
        if (length >= 2 && bytes[0] == '\r' && bytes[1] == '\n') {
            return 2;
        }
        for (int i = 0; i + 3 < length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }
}
