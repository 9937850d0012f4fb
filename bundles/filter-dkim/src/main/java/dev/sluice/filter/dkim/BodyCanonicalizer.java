package dev.sluice.filter.dkim;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Streams a body through DKIM body canonicalization (RFC 6376 §3.4.3, §3.4.4) with constant memory: line
 * ends and white space are held back as counts until the next visible byte shows they are not trailing.
 * Only CRLF ends a line; a lone CR or LF is an ordinary byte. Call {@link #finish()} once at the end.
 */
final class BodyCanonicalizer extends OutputStream {

    private final OutputStream sink;
    private final boolean relaxed;
    private final byte[] buffer = new byte[16 * 1024];
    private int buffered;
    private long pendingLineEnds;
    private boolean pendingSpace;
    private boolean pendingCr;
    private boolean anyText;

    BodyCanonicalizer(OutputStream sink, boolean relaxed) {
        this.sink = sink;
        this.relaxed = relaxed;
    }

    @Override
    public void write(int b) throws IOException {
        accept((byte) b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            if (pendingCr || pendingSpace || pendingLineEnds > 0) {
                accept(bytes[i++]);
                continue;
            }
            // nothing held back: a run of bytes that canonicalization keeps as they are (relaxed: a single SP
            // between visible bytes too) goes through without the per-byte state machine
            int start = i;
            while (i < end && plain(bytes, i, end)) {
                i++;
            }
            if (i > start) {
                emitRun(bytes, start, i - start);
            }
            if (i < end) {
                accept(bytes[i++]);
            }
        }
    }

    /** Writes what the end of the body implies and flushes; the stream must not be written to afterwards. */
    void finish() throws IOException {
        if (pendingCr) {
            pendingCr = false;
            text((byte) '\r');
        }
        // simple: an empty body is one CRLF, trailing empty lines become one CRLF; relaxed: empty stays empty
        if (anyText || !relaxed) {
            emit((byte) '\r');
            emit((byte) '\n');
        }
        sink.write(buffer, 0, buffered);
        buffered = 0;
        sink.flush();
    }

    private void accept(byte b) throws IOException {
        if (pendingCr) {
            pendingCr = false;
            if (b == '\n') {
                pendingSpace = false; // relaxed: WSP at the end of a line goes
                pendingLineEnds++;
                return;
            }
            text((byte) '\r');
        }
        if (b == '\r') {
            pendingCr = true;
        } else if (relaxed && (b == ' ' || b == '\t')) {
            pendingSpace = true;
        } else {
            text(b);
        }
    }

    private void text(byte b) throws IOException {
        for (; pendingLineEnds > 0; pendingLineEnds--) {
            emit((byte) '\r');
            emit((byte) '\n');
        }
        if (pendingSpace) {
            pendingSpace = false;
            emit((byte) ' ');
        }
        emit(b);
        anyText = true;
    }

    private boolean plain(byte[] bytes, int i, int end) {
        byte b = bytes[i];
        if (b == '\r') {
            return false;
        }
        if (!relaxed) {
            return true;
        }
        if (b == '\t') {
            return false;
        }
        return b != ' ' || i + 1 < end && bytes[i + 1] != ' ' && bytes[i + 1] != '\t' && bytes[i + 1] != '\r';
    }

    private void emitRun(byte[] bytes, int start, int length) throws IOException {
        anyText = true;
        if (length > buffer.length - buffered) {
            sink.write(buffer, 0, buffered);
            buffered = 0;
            if (length > buffer.length) {
                sink.write(bytes, start, length);
                return;
            }
        }
        System.arraycopy(bytes, start, buffer, buffered, length);
        buffered += length;
    }

    private void emit(byte b) throws IOException {
        if (buffered == buffer.length) {
            sink.write(buffer, 0, buffered);
            buffered = 0;
        }
        buffer[buffered++] = b;
    }
}
