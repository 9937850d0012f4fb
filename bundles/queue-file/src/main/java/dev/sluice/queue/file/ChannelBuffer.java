package dev.sluice.queue.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Buffers a reception's writes to its file: starts small and doubles up to {@code max}, so that a small message
 * costs one write syscall and little heap, and a large one writes in {@code max}-sized pieces.
 */
final class ChannelBuffer {

    private final FileChannel channel;
    private final int max;
    private byte[] buf;
    private int n;
    /** Whether anything was written to the channel yet (then the buffer no longer holds the file's start). */
    private boolean flushed;

    ChannelBuffer(FileChannel channel, int initial, int max) {
        this.channel = channel;
        this.max = max;
        this.buf = new byte[initial];
    }

    void write(ByteBuffer src) throws IOException {
        int len = src.remaining();
        room(len);
        if (len > buf.length - n) {
            writeFully(src);
            return;
        }
        src.get(buf, n, len);
        n += len;
    }

    void write(byte[] b, int off, int len) throws IOException {
        write(ByteBuffer.wrap(b, off, len));
    }

    void flush() throws IOException {
        if (n > 0) {
            writeFully(ByteBuffer.wrap(buf, 0, n));
            n = 0;
        }
    }

    /** A copy of the bytes from {@code offset} on, if everything written so far is still here; else null. */
    byte[] copyFrom(int offset) {
        return flushed || offset > n ? null : java.util.Arrays.copyOfRange(buf, offset, n);
    }

    /** Grows (up to max) or flushes so that {@code len} more bytes fit, if they can. */
    private void room(int len) throws IOException {
        if (len <= buf.length - n) {
            return;
        }
        if (buf.length < max) {
            int size = buf.length;
            while (size < n + len && size < max) {
                size *= 2;
            }
            buf = java.util.Arrays.copyOf(buf, Math.min(size, max));
        }
        if (len > buf.length - n) {
            flush();
        }
    }

    private void writeFully(ByteBuffer b) throws IOException {
        flushed = true;
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }
}
