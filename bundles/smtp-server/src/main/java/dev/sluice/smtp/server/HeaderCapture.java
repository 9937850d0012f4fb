package dev.sluice.smtp.server;

import java.util.Arrays;

/** Keeps the start of a message up to the end of its header (at most 64 KiB), for Message-ID and logs. */
final class HeaderCapture {

    private static final int LIMIT = 64 * 1024;

    private byte[] bytes = new byte[1024];
    private int size;
    private boolean complete;

    void add(byte[] data, int offset, int length) {
        if (complete) {
            return;
        }
        int n = Math.min(length, LIMIT - size);
        if (size + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.min(LIMIT, Math.max(size + n, bytes.length * 2)));
        }
        System.arraycopy(data, offset, bytes, size, n);
        int from = Math.max(0, size - 3);
        size += n;
        if (size >= 2 && bytes[0] == '\r' && bytes[1] == '\n') {
            size = 2;
            complete = true;
            return;
        }
        for (int i = from; i + 3 < size; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
                size = i + 4;
                complete = true;
                return;
            }
        }
        complete = size == LIMIT;
    }

    byte[] bytes() {
        return bytes;
    }

    int size() {
        return size;
    }
}
