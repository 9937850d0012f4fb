package dev.sluice.filter.suppression;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;

/**
 * The managed entries as an append-only file of tab-separated lines {@code + entry millis reason} and
 * {@code - entry millis}, replayed at start. Each append is forced to disk before it is acknowledged.
 */
final class Journal implements AutoCloseable {

    /** One line of the journal. */
    record Line(boolean added, String entry, long at, String reason) {
        String format() {
            return (added ? "+" : "-") + '\t' + entry + '\t' + at + (added ? '\t' + clean(reason) : "") + '\n';
        }

        static Line parse(String text) {
            String[] f = text.split("\t", 4);
            if (f.length < 3 || !(f[0].equals("+") || f[0].equals("-"))) {
                throw new IllegalArgumentException("malformed journal line: " + text);
            }
            return new Line(f[0].equals("+"), f[1], Long.parseLong(f[2]), f.length > 3 ? f[3] : "");
        }

        private static String clean(String s) {
            return s == null ? "" : s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
        }
    }

    private final Path file;
    private FileChannel channel;

    Journal(Path file) {
        this.file = file;
    }

    /** Replays every line; malformed lines are reported and skipped. */
    void replay(Consumer<Line> each, Consumer<String> problems) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            int number = 0;
            while ((text = in.readLine()) != null) {
                number++;
                if (text.isBlank()) {
                    continue;
                }
                try {
                    each.accept(Line.parse(text));
                } catch (RuntimeException e) {
                    problems.accept(file + " line " + number + ": " + e.getMessage());
                }
            }
        }
    }

    /** Appends the lines and forces them to disk once. */
    synchronized void append(List<Line> lines) throws IOException {
        if (channel == null) {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        }
        StringBuilder text = new StringBuilder();
        for (Line line : lines) {
            text.append(line.format());
        }
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(text.toString());
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        channel.force(false);
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
