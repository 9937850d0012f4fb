package dev.sluice.webconsole;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The last lines of a file that match a filter, read backwards from its end in fixed chunks and never
 * more than a byte budget, so a delivery log of many gigabytes costs the same as a small one.
 */
final class LogTail {

    private static final int CHUNK = 64 * 1024;

    private LogTail() {
    }

    /** Matching lines, newest first; at most {@code maxLines}, looking at most {@code maxBytes} back from the end. */
    static List<String> read(Path file, int maxLines, long maxBytes, Predicate<String> filter) throws IOException {
        List<String> out = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = channel.size();
            long floor = Math.max(0, position - maxBytes);
            byte[] carry = new byte[0];
            while (position > floor && out.size() < maxLines) {
                int size = (int) Math.min(CHUNK, position - floor);
                position -= size;
                ByteBuffer buffer = ByteBuffer.allocate(size + carry.length);
                buffer.limit(size);
                while (buffer.position() < size) {
                    if (channel.read(buffer, position + buffer.position()) < 0) {
                        throw new IOException(file + " shrank while it was read");
                    }
                }
                buffer.limit(buffer.capacity());
                buffer.put(carry);
                byte[] bytes = buffer.array();
                int lineEnd = bytes.length;
                for (int i = bytes.length - 1; i >= 0 && out.size() < maxLines; i--) {
                    if (bytes[i] == '\n') {
                        take(bytes, i + 1, lineEnd, filter, out);
                        lineEnd = i;
                    }
                }
                carry = java.util.Arrays.copyOfRange(bytes, 0, Math.min(lineEnd, bytes.length));
            }
            // The first line of the file is complete; a line cut by the byte budget is not shown.
            if (position == 0 && out.size() < maxLines) {
                take(carry, 0, carry.length, filter, out);
            }
        }
        return out;
    }

    private static void take(byte[] bytes, int from, int to, Predicate<String> filter, List<String> out) {
        if (to > from) {
            String line = new String(bytes, from, to - from, StandardCharsets.UTF_8).stripTrailing();
            if (!line.isEmpty() && filter.test(line)) {
                out.add(line);
            }
        }
    }
}
