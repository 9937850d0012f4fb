package dev.sluice.scheduler;

import dev.sluice.api.filter.HeaderChange;
import dev.sluice.api.mail.HeaderField;
import dev.sluice.api.mail.MessageContent;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The header block of a message, each field with its exact bytes so that unchanged fields are sent as they
 * were received (a signature over them stays valid).
 *
 * @param fields the fields in order
 * @param length the bytes of the header block in the content, excluding the empty line that ends it
 */
record Headers(List<Field> fields, long length) {

    /** Header blocks larger than this are not parsed further: the rest is treated as body. */
    static final int MAX_HEADER_BYTES = 1 << 20;

    /** One field; {@code field} is null for a line that is not a valid field but must be kept. */
    record Field(HeaderField field, byte[] raw) {
    }

    static Headers read(MessageContent content) throws IOException {
        InputStream raw = content.openStream();
        // the queue's streams are buffered already (sized to the message): no second buffer per message
        try (InputStream in = raw instanceof BufferedInputStream ? raw : new BufferedInputStream(raw, 2048)) {
            List<Field> fields = new ArrayList<>();
            ByteArrayOutputStream current = new ByteArrayOutputStream();
            long length = 0;
            byte[] line;
            while (length < MAX_HEADER_BYTES && (line = readLine(in)) != null) {
                if (isBlank(line)) {
                    break;
                }
                if ((line[0] == ' ' || line[0] == '\t') && current.size() > 0) {
                    current.write(line);
                } else {
                    flush(current, fields);
                    current.write(line);
                }
                length += line.length;
            }
            flush(current, fields);
            return new Headers(List.copyOf(fields), length);
        }
    }

    List<HeaderField> parsed() {
        return fields.stream().map(Field::field).filter(f -> f != null).toList();
    }

    Headers apply(List<HeaderChange> changes) {
        List<Field> out = new ArrayList<>(fields);
        for (HeaderChange change : changes) {
            if (change instanceof HeaderChange.Add add) {
                out.add(0, of(add.field()));
            } else if (change instanceof HeaderChange.Set set) {
                int first = indexOf(out, set.field().name());
                out.removeIf(f -> f.field() != null && f.field().hasName(set.field().name()));
                out.add(first < 0 ? 0 : Math.min(first, out.size()), of(set.field()));
            } else if (change instanceof HeaderChange.Remove remove) {
                out.removeIf(f -> f.field() != null && f.field().hasName(remove.name()));
            }
        }
        return new Headers(List.copyOf(out), length);
    }

    byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fields.forEach(f -> out.writeBytes(f.raw()));
        return out.toByteArray();
    }

    private static Field of(HeaderField f) {
        return new Field(f, f.toWire().getBytes(StandardCharsets.UTF_8));
    }

    private static int indexOf(List<Field> fields, String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).field() != null && fields.get(i).field().hasName(name)) {
                return i;
            }
        }
        return -1;
    }

    private static void flush(ByteArrayOutputStream current, List<Field> fields) {
        if (current.size() == 0) {
            return;
        }
        byte[] raw = current.toByteArray();
        current.reset();
        String text = new String(raw, StandardCharsets.UTF_8);
        text = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        int colon = text.indexOf(':');
        HeaderField field = null;
        if (colon > 0) {
            try {
                field = new HeaderField(text.substring(0, colon), text.substring(colon + 1).stripLeading());
            } catch (IllegalArgumentException malformed) {
                // kept verbatim, just not offered to filters as a field
            }
        }
        fields.add(new Field(field, raw));
    }

    private static boolean isBlank(byte[] line) {
        return line.length == 2 && line[0] == '\r' && line[1] == '\n' || line.length == 1 && line[0] == '\n';
    }

    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(80);
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n' || line.size() >= MAX_HEADER_BYTES) {
                break;
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
    }
}
