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
 * removals cost about two fsyncs instead of N, and no thread is handed work. A removal may also wait a little for
 * the group committer's fsync of its directory ({@link #force(Path, long)}, {@link #claim}).
 */
final class SharedDirectorySync {

    /** The directories of one round and how it ended. */
    static final class Round {
        final Set<Path> directories = new HashSet<>(4);
        boolean done;
        IOException failure;
    }

    private final FileSync sync;
    private Round open = new Round();
    private boolean running;
    /** When the group committer last began a directory fsync ({@link #claim}); none yet: no commit to wait for. */
    private long lastCommitFsync;
    private boolean committed;

    SharedDirectorySync(FileSync sync) {
        this.sync = sync;
    }

    /** Returns once {@code directory}, as changed before the call, is on stable storage. */
    void force(Path directory) throws IOException {
        force(directory, 0);
    }

    /**
     * Like {@link #force(Path)}, but the caller that would run the round first waits up to {@code lingerNanos} for a
     * commit of the same directory to {@link #claim} it: while mail trickles in, a delivered message leaves the
     * queue milliseconds after it entered, from the directory the next commit fsyncs anyway. Only a caller alone
     * in its round waits, and only while mail comes in (a commit fsynced a directory within the last
     * {@code lingerNanos}): the next removal to arrive runs the round for both, so draining a queue, fast or with
     * nothing coming in, never leaves the callers (the scheduler's few workers) idle.
     */
    void force(Path directory, long lingerNanos) throws IOException {
        Round mine;
        synchronized (this) {
            mine = open;
            boolean alone = mine.directories.isEmpty(); // every caller adds its directory
            mine.directories.add(directory);
            long now = System.nanoTime();
            long deadline = alone && committed && now - lastCommitFsync < lingerNanos ? now + lingerNanos : now;
            while (!mine.done) {
                if (!running && open == mine) {
                    long left = deadline - System.nanoTime();
                    if (left > 0) {
                        waitNanos(left);
                        continue;
                    }
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

    /**
     * For a committer about to fsync {@code directory}: the waiting round, if every directory in it is that one, which
     * the committer's fsync then covers (it starts after their changes); null if there is none to take. The
     * committer must {@link #finish} what it took.
     */
    synchronized Round claim(Path directory) {
        lastCommitFsync = System.nanoTime();
        committed = true;
        Round waiting = open;
        if (!waiting.directories.equals(Set.of(directory))) {
            return null;
        }
        open = new Round();
        return waiting;
    }

    /** Ends a {@link #claim}ed round: its callers return, or throw {@code failure}. */
    synchronized void finish(Round claimed, IOException failure) {
        claimed.failure = failure;
        claimed.done = true;
        notifyAll();
    }

    private void waitNanos(long nanos) throws IOException {
        try {
            wait(Math.max(1, nanos / 1_000_000), (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for a directory fsync");
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
