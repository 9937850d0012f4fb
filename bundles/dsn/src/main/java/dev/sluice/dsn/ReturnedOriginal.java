package dev.sluice.dsn;

import dev.sluice.api.mail.BodyType;
import dev.sluice.api.mail.MessageContent;
import dev.sluice.api.queue.MailQueue;
import dev.sluice.api.queue.QueueException;
import dev.sluice.api.queue.QueuedMessage;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The optional third part of a DSN (RFC 6522 §3, RFC 3461 §4.3): the original's headers, whole, or nothing. */
final class ReturnedOriginal {

    enum Kind { NONE, HEADERS, FULL }

    /** A header block larger than this is abuse, not mail; what is returned is cut at a line end. */
    static final int MAX_HEADER_BYTES = 1 << 20;

    private final Kind kind;
    private final byte[] headers;
    private final MessageContent content;
    private final boolean eightBit;
    private final String note;

    private ReturnedOriginal(Kind kind, byte[] headers, MessageContent content, boolean eightBit, String note) {
        this.kind = kind;
        this.headers = headers;
        this.content = content;
        this.eightBit = eightBit;
        this.note = note;
    }

    /**
     * Reads what is needed before the DSN is opened in the queue (the DSN's envelope depends on whether the
     * returned text is 8-bit). Never fails: an original that cannot be read is left out and said so.
     */
    static ReturnedOriginal prepare(MailQueue queue, QueuedMessage message, boolean full, long fullMaxBytes) {
        MessageContent content;
        try {
            content = queue.content(message.id());
        } catch (QueueException | RuntimeException e) {
            return none("The original message is no longer available: " + e.getMessage());
        }
        BodyType body = message.envelope().bodyType();
        String note = null;
        if (full && content.size() <= fullMaxBytes && body != BodyType.BINARY_MIME) {
            return new ReturnedOriginal(Kind.FULL, null, content, body == BodyType.EIGHT_BIT_MIME,
                    "The original message is attached.");
        } else if (full) {
            note = body == BodyType.BINARY_MIME ? "The original message is binary MIME and cannot be returned; "
                    : "The original message is too large to return (" + content.size() + " bytes); ";
        }
        try (InputStream in = content.openStream()) {
            byte[] header = readHeader(in);
            return new ReturnedOriginal(Kind.HEADERS, header, null, hasEightBit(header),
                    (note == null ? "" : note) + "The headers of the original message are attached.");
        } catch (IOException | RuntimeException e) {
            return none("The original message could not be read: " + e.getMessage());
        }
    }

    private static ReturnedOriginal none(String note) {
        return new ReturnedOriginal(Kind.NONE, null, null, false, note);
    }

    Kind kind() {
        return kind;
    }

    boolean eightBit() {
        return eightBit;
    }

    /** One sentence for the human-readable part about what is attached. */
    String note() {
        return note;
    }

    String contentType() {
        return kind == Kind.FULL ? "message/rfc822" : "text/rfc822-headers";
    }

    /** Streams the original (FULL) from the queue rather than holding it in memory. */
    void writeTo(OutputStream out) throws IOException {
        if (kind == Kind.FULL) {
            try (InputStream in = content.openStream()) {
                in.transferTo(out);
            }
        } else if (kind == Kind.HEADERS) {
            out.write(headers);
        }
    }

    /** The header block up to (excluding) the empty line, always ending with CRLF. */
    static byte[] readHeader(InputStream raw) throws IOException {
        InputStream in = new BufferedInputStream(raw);
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        int lineStart = 0;
        int previous = -1;
        int b;
        while ((b = in.read()) >= 0) {
            out.write(b);
            if (b == '\n') {
                int length = out.size() - lineStart;
                if (length == 1 || length == 2 && previous == '\r') {
                    return crlfTerminated(out.toByteArray(), lineStart); // the empty line ends the header
                }
                lineStart = out.size();
            }
            if (out.size() > MAX_HEADER_BYTES) {
                return crlfTerminated(out.toByteArray(), lineStart);
            }
            previous = b;
        }
        return crlfTerminated(out.toByteArray(), out.size()); // a message without a body
    }

    private static byte[] crlfTerminated(byte[] bytes, int length) {
        if (length >= 2 && bytes[length - 2] == '\r' && bytes[length - 1] == '\n') {
            return java.util.Arrays.copyOf(bytes, length);
        }
        int body = length > 0 && bytes[length - 1] == '\n' ? length - 1 : length;
        byte[] out = java.util.Arrays.copyOf(bytes, body + 2);
        out[body] = '\r';
        out[body + 1] = '\n';
        return out;
    }

    private static boolean hasEightBit(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }
}
