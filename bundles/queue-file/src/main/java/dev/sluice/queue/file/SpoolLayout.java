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

    Path temp(long key) {
        String id = QueueIds.format(key);
        return leaf(id).resolve(id + TEMP_SUFFIX);
    }
}
