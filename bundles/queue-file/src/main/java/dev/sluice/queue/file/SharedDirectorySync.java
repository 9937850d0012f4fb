package dev.sluice.queue.file;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Directory fsyncs shared by concurrent callers (group commit for unlinks): a caller whose change no running
 * fsync covers fsyncs, on its own thread, every directory changed since the last round began; callers arriving
 * meanwhile wait for that round's end and then one of them runs the next round for all of them. So N concurrent
 * removals cost about two fsyncs instead of N, and no thread is handed work.
 */
final class SharedDirectorySync {

    /** The directories of one round and how it ended. */
    private static final class Round {
        final Set<Path> directories = new HashSet<>(4);
        boolean done;
        IOException failure;
    }

    private final FileSync sync;
    private Round open = new Round();
    private boolean running;

    SharedDirectorySync(FileSync sync) {
        this.sync = sync;
    }

    /** Returns once {@code directory}, as changed before the call, is on stable storage. */
    void force(Path directory) throws IOException {
        Round mine;
        synchronized (this) {
            mine = open;
            mine.directories.add(directory);
            while (!mine.done) {
                if (!running && open == mine) {
                    running = true;
                    open = new Round(); // later changes wait for the next round: this one may have begun reading
                    break;
                }
                wait0();
            }
            if (mine.done) {
                if (mine.failure != null) {
                    throw mine.failure;
                }
                return;
            }
        }
        IOException failure = null;
        try {
            for (Path d : mine.directories) {
                try {
                    sync.forceDirectory(d);
                } catch (IOException | RuntimeException e) {
                    failure = e instanceof IOException io ? io : new IOException(e);
                }
            }
        } finally {
            synchronized (this) {
                mine.failure = failure;
                mine.done = true; // also after a RuntimeException: the waiters must not wait for ever
                running = false;
                notifyAll();
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void wait0() throws IOException {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for a directory fsync");
        }
    }
}
