package dev.sluice.filter.dkim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The header block exactly as it will be sent: each field as an ISO-8859-1 string of its bytes, folding and
 * final CRLF included. Reading stops after the empty line, leaving the stream at the first body byte.
 *
 * @param fields the fields, top first
 * @param length bytes consumed, the empty line included
 */
record RawHeader(List<String> fields, long length) {

    /** Larger header blocks are refused rather than held in memory. */
    static final int MAX_HEADER_BYTES = 1 << 20;

    static RawHeader read(InputStream in) throws IOException {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        long length = 0;
        while (readLine(in, line)) {
            length += line.size();
            if (length > MAX_HEADER_BYTES) {
                throw new IOException("header block larger than " + MAX_HEADER_BYTES + " bytes");
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            if (text.equals("\r\n") || text.equals("\n")) {
                break;
            }
            boolean continuation = text.charAt(0) == ' ' || text.charAt(0) == '\t';
            if (!continuation && field.length() > 0) {
                fields.add(field.toString());
                field.setLength(0);
            }
            field.append(text);
        }
        if (field.length() > 0) {
            if (field.charAt(field.length() - 1) != '\n') {
                field.append("\r\n"); // delivery completes a last line without CRLF, so it is signed with one
            }
            fields.add(field.toString());
        }
        return new RawHeader(List.copyOf(fields), length);
    }

    /** The field's name as written, without WSP before the colon; null when the line has no colon. */
    static String name(String field) {
        int colon = field.indexOf(':');
        return colon < 0 ? null : field.substring(0, colon).strip();
    }

    private static boolean readLine(InputStream in, ByteArrayOutputStream line) throws IOException {
        line.reset();
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n' || line.size() > MAX_HEADER_BYTES) {
                break;
            }
        }
        return line.size() > 0;
    }
}
