package dev.sluice.queue.file;

import java.nio.file.Path;

/**
 * Where files live. Messages go to {@code q/<4 id chars>/<2 id chars>/<id>}: the leaf directory covers
 * about 3.8 s of arrivals, so commits that run together share one directory fsync, and no directory
 * grows beyond a few seconds' worth of mail.
 */
record SpoolLayout(Path root) {

    static final String TEMP_SUFFIX = ".tmp";

    Path messages() {
        return root.resolve("q");
    }

    /** Finished message files kept for reuse ({@link FilePool}). */
    Path pool() {
        return root.resolve("pool");
    }

    Path quarantine() {
        return root.resolve("quarantine");
    }

    /** The destinations an operator held, one per line. */
    Path heldDestinations() {
        return root.resolve("held-destinations");
    }

    Path leaf(String id) {
        return messages().resolve(id.substring(0, 4)).resolve(id.substring(4, 6));
    }

    Path file(long key) {
        String id = QueueIds.format(key);
        return leaf(id).resolve(id);
    }

    /**
     * The last millisecond of the newest leaf directory under {@code messages}, or -1 when there is none: no file
     * there (from an earlier run) has a later id.
     */
    static long newestLeafEndMillis(Path messages) throws java.io.IOException {
        String top = newest(messages, 4);
        String leaf = top == null ? null : newest(messages.resolve(top), 2);
        if (leaf == null) {
            return -1;
        }
        long key = QueueIds.parse(top + leaf + "zzzzz");
        return key < 0 ? Long.MAX_VALUE : QueueIds.millis(key);
    }

    /** The greatest name of that length among the directories in {@code dir} (base62 ids sort as strings). */
    private static String newest(Path dir, int length) throws java.io.IOException {
        String max = null;
        try (java.nio.file.DirectoryStream<Path> entries = java.nio.file.Files.newDirectoryStream(dir)) {
            for (Path e : entries) {
                String name = e.getFileName().toString();
                if (name.length() == length && (max == null || name.compareTo(max) > 0)) {
                    max = name;
                }
            }
        }
        return max;
    }
}
