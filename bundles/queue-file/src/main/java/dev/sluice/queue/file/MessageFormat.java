package dev.sluice.queue.file;

import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.queue.Attempt;
import dev.sluice.api.queue.RecipientStatus;
import dev.sluice.api.queue.RecipientUpdate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The one-file-per-message format (see README.md): a checksummed header, the checksummed envelope, the
 * raw content, then appended checksummed state records.
 */
final class MessageFormat {

    static final int MAGIC = 0x534C5146; // "SLQF"
    static final byte VERSION = 1;
    static final int HEADER_SIZE = 36;
    static final byte RECORD_UPDATE = 'U';
    static final byte RECORD_HOLD = 'H';
    private static final int MAX_ENVELOPE = 16 << 20;
    private static final int MAX_REPLY_CHARS = 4000;
    private static final int PREFIX_READ = 8192;

    private MessageFormat() {
    }

    static ByteBuffer header(long contentLength, long queuedAtMillis, int contentCrc, int envelopeLength) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE);
        b.putInt(MAGIC).put(VERSION).put((byte) 0).putShort((short) 0);
        b.putLong(contentLength).putLong(queuedAtMillis).putInt(contentCrc).putInt(envelopeLength);
        b.putInt(crc(b.array(), 0, HEADER_SIZE - 4));
        return b.flip();
    }

    static ByteBuffer envelopeBlock(byte[] envelope) {
        return ByteBuffer.allocate(envelope.length + 4).put(envelope).putInt(crc(envelope, 0, envelope.length))
                .flip();
    }

    /** Framing: length of type+payload, type, payload, CRC32C of type+payload. */
    static ByteBuffer record(byte type, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(payload.length + 9);
        b.putInt(payload.length + 1).put(type).put(payload);
        b.putInt(crc(b.array(), 4, payload.length + 1));
        return b.flip();
    }

    static byte[] updatePayload(RecipientUpdate u) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(u.index());
            out.writeUTF(u.status().name());
            EnvelopeCodec.writeInstant(out, u.nextAttempt());
            Attempt a = u.attempt();
            out.writeBoolean(a != null);
            if (a != null) {
                EnvelopeCodec.writeInstant(out, a.at());
                out.writeUTF(a.remoteHost().length() > 1000 ? a.remoteHost().substring(0, 1000) : a.remoteHost());
                out.writeShort(a.reply().code());
                EnvelopeCodec.writeNullable(out, a.reply().enhancedStatus());
                String text = a.reply().text();
                out.writeUTF(text.length() > MAX_REPLY_CHARS ? text.substring(0, MAX_REPLY_CHARS) : text);
            }
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        return bytes.toByteArray();
    }

    /** Where the content is, from the header alone: {offset, length}. */
    static long[] contentRegion(FileChannel ch) throws IOException {
        long size = ch.size();
        ByteBuffer h = readAt(ch, 0, HEADER_SIZE, size, "header");
        checkHeader(h);
        long offset = HEADER_SIZE + h.getInt(28) + 4L;
        long length = h.getLong(8);
        if (offset + length > size) {
            throw new CorruptFileException("truncated: content ends at " + (offset + length) + " but file has " + size);
        }
        return new long[] {offset, length};
    }

    private static void checkHeader(ByteBuffer h) throws CorruptFileException {
        if (h.getInt(0) != MAGIC || h.get(4) != VERSION) {
            throw new CorruptFileException("not a version " + VERSION + " spool file");
        }
        if (h.getInt(HEADER_SIZE - 4) != crc(h.array(), 0, HEADER_SIZE - 4)) {
            throw new CorruptFileException("header checksum mismatch");
        }
        int envelopeLength = h.getInt(28);
        if (envelopeLength <= 0 || envelopeLength > MAX_ENVELOPE || h.getLong(8) < 0) {
            throw new CorruptFileException("implausible lengths in header");
        }
    }

    static MessageState read(FileChannel ch) throws IOException {
        long size = ch.size();
        // one read covers a typical small message whole, which is what makes recovery fast
        ByteBuffer prefix = readAt(ch, 0, (int) Math.min(size, PREFIX_READ), size, "header");
        ByteBuffer h = slice(ch, prefix, 0, HEADER_SIZE, size, "header");
        checkHeader(h);
        long contentLength = h.getLong(8);
        long queuedAt = h.getLong(16);
        int envelopeLength = h.getInt(28);
        ByteBuffer e = slice(ch, prefix, HEADER_SIZE, envelopeLength + 4, size, "envelope");
        if (e.getInt(envelopeLength) != crc(e.array(), 0, envelopeLength)) {
            throw new CorruptFileException("envelope checksum mismatch");
        }
        Envelope envelope;
        try {
            envelope = EnvelopeCodec.decode(
                    new DataInputStream(new ByteArrayInputStream(e.array(), 0, envelopeLength)));
        } catch (IOException | IllegalArgumentException bad) {
            throw new CorruptFileException("envelope does not decode: " + bad.getMessage(), bad);
        }
        long contentOffset = HEADER_SIZE + envelopeLength + 4L;
        long recordsStart = contentOffset + contentLength;
        if (recordsStart > size) {
            throw new CorruptFileException("truncated: content ends at " + recordsStart + " but file has " + size);
        }
        MessageState state = new MessageState(queuedAt, envelope, contentOffset, contentLength);
        state.validEnd = recordsStart;
        if (size > recordsStart) {
            readRecords(state, slice(ch, prefix, recordsStart, Math.toIntExact(size - recordsStart), size, "records"));
        }
        return state;
    }

    private static void readRecords(MessageState state, ByteBuffer b) throws IOException {
        long base = state.validEnd;
        while (b.remaining() >= 4) {
            int start = b.position();
            int length = b.getInt();
            if (length < 1 || length + 4 > b.remaining()) {
                break; // an append torn by a crash: never acknowledged, so ignored (and overwritten next time)
            }
            int crc = b.getInt(start + 4 + length);
            if (crc != crc(b.array(), start + 4, length)) {
                if (start + 8 + length == b.limit()) {
                    break;
                }
                throw new CorruptFileException("state record at " + (base + start) + " fails its checksum");
            }
            try {
                apply(state, b.get(start + 4),
                        new DataInputStream(new ByteArrayInputStream(b.array(), start + 5, length - 1)));
            } catch (IOException | IllegalArgumentException bad) {
                throw new CorruptFileException("state record at " + (base + start) + " does not decode", bad);
            }
            b.position(start + 8 + length);
            state.validEnd = base + b.position();
        }
    }

    private static void apply(MessageState state, byte type, DataInputStream in) throws IOException {
        if (type == RECORD_HOLD) {
            state.held = in.readBoolean();
        } else if (type == RECORD_UPDATE) {
            int index = in.readInt();
            RecipientStatus status = RecipientStatus.valueOf(in.readUTF());
            var next = EnvelopeCodec.readInstant(in);
            Attempt attempt = null;
            if (in.readBoolean()) {
                attempt = new Attempt(EnvelopeCodec.readInstant(in), in.readUTF(),
                        Reply.of(in.readShort(), EnvelopeCodec.readNullable(in), in.readUTF()));
            }
            state.apply(new RecipientUpdate(index, status, next, attempt));
        } else {
            throw new IOException("unknown record type " + type);
        }
    }

    private static ByteBuffer slice(FileChannel ch, ByteBuffer prefix, long position, int length, long size,
                                    String what) throws IOException {
        if (position + length <= prefix.limit()) {
            return ByteBuffer.wrap(Arrays.copyOfRange(prefix.array(), (int) position, (int) position + length));
        }
        return readAt(ch, position, length, size, what);
    }

    private static ByteBuffer readAt(FileChannel ch, long position, int length, long size, String what)
            throws IOException {
        if (position + length > size) {
            throw new CorruptFileException("truncated in the " + what);
        }
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new CorruptFileException("truncated in the " + what);
            }
        }
        return b.flip();
    }

    static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
