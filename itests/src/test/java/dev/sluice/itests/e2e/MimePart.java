package dev.sluice.itests.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough MIME to check a DSN from the outside: unfolded header fields, the parts of a multipart body,
 * and the field groups of a {@code message/delivery-status} body (RFC 3464 §2.1).
 */
public record MimePart(Map<String, String> headers, String body) {

    private static final Pattern BOUNDARY = Pattern.compile("(?i);\\s*boundary=\"?([^\";]+)\"?");

    public static MimePart parse(String text) {
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        return new MimePart(fields(head), end < 0 ? "" : text.substring(end + 4));
    }

    /** The first field of that name, unfolded, or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The body parts, for a multipart type; empty otherwise. */
    public List<MimePart> parts() {
        String type = header("Content-Type");
        Matcher m = type == null ? null : BOUNDARY.matcher(type);
        if (m == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/") || !m.find()) {
            return List.of();
        }
        String[] pieces = ("\r\n" + body).split(Pattern.quote("\r\n--" + m.group(1)), -1);
        List<MimePart> parts = new ArrayList<>();
        for (int i = 1; i < pieces.length && !pieces[i].startsWith("--"); i++) {
            String piece = pieces[i];
            int lineEnd = piece.indexOf("\r\n");
            parts.add(parse(lineEnd < 0 ? "" : piece.substring(lineEnd + 2)));
        }
        return parts;
    }

    /** The groups of fields of a delivery-status body: the per-message group first, then one per recipient. */
    public List<Map<String, String>> fieldGroups() {
        List<Map<String, String>> groups = new ArrayList<>();
        for (String block : body.split("\r\n(\r\n)+")) {
            if (!block.isBlank()) {
                groups.add(fields(block));
            }
        }
        return groups;
    }

    private static Map<String, String> fields(String block) {
        Map<String, String> fields = new LinkedHashMap<>();
        String unfolded = block.replaceAll("\r\n[ \t]+", " ");
        for (String line : unfolded.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.putIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).strip());
            }
        }
        return fields;
    }
}
