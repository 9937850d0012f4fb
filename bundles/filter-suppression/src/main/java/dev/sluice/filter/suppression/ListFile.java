package dev.sluice.filter.suppression;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The administrator's list file: one entry per line, or CSV whose first column is the entry; # comments. */
final class ListFile {

    /** A loaded file and the stamp it was loaded at; {@link #NONE} when there is no file. */
    record Loaded(LongHashSet keys, FileTime modified, long size) {
        static final Loaded NONE = new Loaded(new LongHashSet(0), FileTime.fromMillis(0), -1);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ListFile.class);
    private static final Set<String> HEADERS = Set.of("entry", "address", "email", "domain", "recipient");
    private static final int MAX_REPORTED_PROBLEMS = 10;

    private ListFile() {
    }

    /** The file's entries, or {@code previous} itself when the file has not changed since. */
    static Loaded load(Path file, Loaded previous) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Loaded.NONE;
        }
        if (attributes.lastModifiedTime().equals(previous.modified()) && attributes.size() == previous.size()) {
            return previous;
        }
        int[] problems = {0};
        // lines are rarely shorter than 32 bytes; the table grows if they are
        LongHashSet keys = new LongHashSet((int) Math.min(attributes.size() / 32, 50_000_000));
        read(file, entry -> keys.add(entry.key()), problem -> {
            if (++problems[0] <= MAX_REPORTED_PROBLEMS) {
                LOG.warn("Suppression list {}", problem);
            }
        });
        if (problems[0] > MAX_REPORTED_PROBLEMS) {
            LOG.warn("Suppression list {}: {} more lines skipped", file, problems[0] - MAX_REPORTED_PROBLEMS);
        }
        return new Loaded(keys, attributes.lastModifiedTime(), attributes.size());
    }

    /** Every entry of a list or CSV file; lines that are not entries go to {@code problems}, naming the line. */
    static void read(Path file, Consumer<Entry> entries, Consumer<String> problems) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                String first = firstColumn(line);
                if (first.isEmpty() || first.startsWith("#")
                        || number == 1 && HEADERS.contains(first.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                try {
                    entries.accept(Entry.parse(first));
                } catch (IllegalArgumentException e) {
                    problems.accept(file + " line " + number + ": " + e.getMessage());
                }
            }
        }
    }

    private static String firstColumn(String line) {
        int comma = line.indexOf(',');
        String first = (comma < 0 ? line : line.substring(0, comma)).strip();
        if (first.length() >= 2 && first.startsWith("\"") && first.endsWith("\"")) {
            first = first.substring(1, first.length() - 1).strip();
        }
        return first;
    }
}
