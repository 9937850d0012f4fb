package dev.sluice.smtp.server.codec;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The SMTP framing of one connection, fed whatever bytes arrive. Modes: command lines (CRLF only, bounded),
 * DATA (strict CRLF.CRLF terminator, dot-unstuffing, bare CR/LF detection, 1000-octet lines), BDAT (counted
 * bytes) and discard (plaintext after STARTTLS). The sink may switch mode from inside a callback; the rest of
 * the input is then read in the new mode, which is what makes pipelining and STARTTLS safe.
 */
public final class SmtpDecoder {

    /** RFC 5321 §4.5.3.1.4: 512 octets including CRLF. */
    public static final int MAX_COMMAND_LINE = 510;
    /** RFC 5321 §4.5.3.1.6: 1000 octets including CRLF. */
    public static final int MAX_TEXT_LINE = 998;

    private enum Mode { COMMAND, DATA, BDAT, DISCARD }

    private enum DataState { LINE_START, IN_LINE, CR, DOT, DOT_CR }

    private final DecoderSink sink;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private Mode mode = Mode.COMMAND;
    private int maxLine = MAX_COMMAND_LINE;
    private byte[] line = new byte[128];
    private int lineLength;
    private boolean lineOverflow;
    private boolean lineBareCr;
    private boolean lastWasCr;
    private DataState dataState;
    private int textLineLength;
    private DataError dataError;
    private byte[] scratch = new byte[0];
    private long chunkRemaining;
    private boolean suspended;

    public SmtpDecoder(DecoderSink sink) {
        this.sink = sink;
    }

    /** Reads commands; {@code maxLineOctets} excludes the CRLF (510 normally, 12288 for AUTH responses). */
    public void commandMode(int maxLineOctets) {
        mode = Mode.COMMAND;
        maxLine = maxLineOctets;
    }

    /** Reads a DATA body up to and including the terminating CRLF.CRLF. */
    public void dataMode() {
        mode = Mode.DATA;
        dataState = DataState.LINE_START;
        textLineLength = 0;
        dataError = null;
    }

    /** Reads exactly {@code size} bytes of a BDAT chunk, whatever becomes of the command. */
    public void chunkMode(long size) {
        mode = Mode.BDAT;
        chunkRemaining = size;
    }

    /** Drops everything until the sink switches back, e.g. bytes pipelined after STARTTLS. */
    public void discardMode() {
        mode = Mode.DISCARD;
        lineLength = 0;
        lineOverflow = false;
        lineBareCr = false;
        lastWasCr = false;
    }

    /**
     * Stops {@link #feed} after the current callback, leaving the rest of its input unread, until {@link #resume}:
     * for a sink that must wait for something before it may see the next command.
     */
    public void suspend() {
        suspended = true;
    }

    public void resume() {
        suspended = false;
    }

    public boolean isDiscarding() {
        return mode == Mode.DISCARD;
    }

    public boolean isReadingMessage() {
        return mode == Mode.DATA || mode == Mode.BDAT;
    }

    /** Reads as much of {@code in} as it can; stops early only when suspended (the rest stays in {@code in}). */
    public void feed(ByteBuffer in) {
        while (!suspended) {
            if (mode == Mode.BDAT && chunkRemaining == 0) {
                mode = Mode.COMMAND;
                sink.onChunkEnd();
                continue;
            }
            if (!in.hasRemaining()) {
                return;
            }
            switch (mode) {
                case COMMAND -> command(in);
                case DATA -> data(in);
                case BDAT -> chunk(in);
                case DISCARD -> in.position(in.limit());
            }
        }
    }

    private void command(ByteBuffer in) {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (lastWasCr) {
                lastWasCr = false;
                if (b == '\n') {
                    endLine(false);
                    return;
                }
                lineBareCr = true;
                append((byte) '\r');
            }
            if (b == '\r') {
                lastWasCr = true;
            } else if (b == '\n') {
                endLine(true);
                return;
            } else {
                append(b);
            }
        }
    }

    private void append(byte b) {
        if (lineLength >= maxLine) {
            lineOverflow = true;
            return;
        }
        if (lineLength == line.length) {
            line = java.util.Arrays.copyOf(line, Math.min(maxLine, line.length * 2));
        }
        line[lineLength++] = b;
    }

    private void endLine(boolean bareLf) {
        int length = lineLength;
        boolean overflow = lineOverflow;
        boolean bareCr = lineBareCr;
        lineLength = 0;
        lineOverflow = false;
        lineBareCr = false;
        if (overflow) {
            sink.onBadLine("Line too long");
        } else if (bareLf || bareCr) {
            sink.onBadLine("Bare CR or LF not allowed, lines end with CRLF");
        } else {
            try {
                CharBuffer chars = utf8.decode(ByteBuffer.wrap(line, 0, length));
                sink.onLine(chars.toString());
            } catch (CharacterCodingException e) {
                sink.onBadLine("Invalid UTF-8 in command");
            }
        }
    }

    private void data(ByteBuffer in) {
        if (scratch.length < in.remaining()) {
            scratch = new byte[Math.max(in.remaining(), 4096)];
        }
        int out = 0;
        while (in.hasRemaining()) {
            if (dataState == DataState.IN_LINE && in.hasArray()) {
                out = textRun(in, out);
                if (!in.hasRemaining()) {
                    break;
                }
            }
            byte b = in.get();
            switch (dataState) {
                case LINE_START -> {
                    if (b == '.') {
                        // removed by unstuffing; the limit excludes the dot duplicated for transparency
                        dataState = DataState.DOT;
                        textLineLength = 0;
                        continue;
                    }
                    out = text(b, out);
                }
                case IN_LINE -> out = text(b, out);
                case CR -> {
                    if (b == '\n') {
                        out = put((byte) '\r', out);
                        out = put((byte) '\n', out);
                        dataState = DataState.LINE_START;
                        textLineLength = 0;
                    } else {
                        fail(DataError.BARE_CR_OR_LF);
                        dataState = DataState.IN_LINE;
                        out = text(b, out);
                    }
                }
                case DOT -> {
                    if (b == '\r') {
                        dataState = DataState.DOT_CR;
                    } else {
                        out = text(b, out);
                    }
                }
                case DOT_CR -> {
                    if (b == '\n') {
                        flush(out);
                        mode = Mode.COMMAND;
                        maxLine = MAX_COMMAND_LINE;
                        sink.onDataEnd(dataError);
                        return;
                    }
                    fail(DataError.BARE_CR_OR_LF);
                    dataState = DataState.IN_LINE;
                    out = text(b, out);
                }
            }
        }
        flush(out);
    }

    /**
     * Inside a text line, the bytes up to the next CR or LF need no state machine: they are copied in one go
     * (the same result as {@link #text} byte by byte; the decoder test checks the two against each other).
     */
    private int textRun(ByteBuffer in, int out) {
        byte[] a = in.array();
        int start = in.arrayOffset() + in.position();
        int end = in.arrayOffset() + in.limit();
        int i = start;
        while (i < end && a[i] != '\r' && a[i] != '\n') {
            i++;
        }
        int run = i - start;
        if (run == 0) {
            return out;
        }
        textLineLength += run;
        if (textLineLength > MAX_TEXT_LINE) {
            fail(DataError.LINE_TOO_LONG);
        }
        in.position(in.position() + run);
        // scratch holds at least what this feed brought in, and unstuffing never adds bytes: no overflow
        System.arraycopy(a, start, scratch, out, run);
        return out + run;
    }

    /** A byte inside a text line (not a line terminator candidate handled by the caller). */
    private int text(byte b, int out) {
        if (b == '\r') {
            dataState = DataState.CR;
            return out;
        }
        dataState = DataState.IN_LINE;
        if (b == '\n') {
            // A bare LF never starts a new line, so "\n.\n" and "\n.\r\n" cannot end the message.
            fail(DataError.BARE_CR_OR_LF);
            return out;
        }
        if (++textLineLength > MAX_TEXT_LINE) {
            fail(DataError.LINE_TOO_LONG);
        }
        return put(b, out);
    }

    private int put(byte b, int out) {
        if (out == scratch.length) {
            flush(out);
            out = 0;
        }
        scratch[out] = b;
        return out + 1;
    }

    private void flush(int length) {
        if (length > 0 && dataError == null) {
            sink.onData(scratch, 0, length);
        }
    }

    private void fail(DataError error) {
        if (dataError == null) {
            dataError = error;
        }
    }

    private void chunk(ByteBuffer in) {
        int n = (int) Math.min(chunkRemaining, in.remaining());
        if (in.hasArray()) {
            sink.onData(in.array(), in.arrayOffset() + in.position(), n);
            in.position(in.position() + n);
        } else {
            byte[] copy = new byte[n];
            in.get(copy);
            sink.onData(copy, 0, n);
        }
        chunkRemaining -= n;
    }
}
