package dev.sluice.queue.file;

import dev.sluice.api.queue.QueueException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The free-space and free-inode floor. Measuring forks {@code stat}, so it runs on its own thread every
 * interval (and at once after a write error) and {@link #check()} only reads the cached verdict.
 */
final class DiskHealth implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DiskHealth.class);

    private final Path directory;
    private final int minFreeSpacePercent;
    private final int minFreeInodesPercent;
    private final DiskProbe probe;
    private final ScheduledExecutorService timer;
    /** Why new mail is refused, or null while the disk is healthy. */
    private volatile String problem;

    DiskHealth(Path directory, int minFreeSpacePercent, int minFreeInodesPercent, DiskProbe probe,
               Duration interval) {
        this.directory = directory;
        this.minFreeSpacePercent = minFreeSpacePercent;
        this.minFreeInodesPercent = minFreeInodesPercent;
        this.probe = probe;
        refresh();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "sluice-queue-file-disk"));
        timer.scheduleWithFixedDelay(this::refresh, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void check() throws QueueException {
        String p = problem;
        if (p != null) {
            throw QueueException.lowOnSpace(p);
        }
    }

    /** A failed write may mean a full disk that the last probe did not see yet: refuse until re-measured. */
    void onIoError(IOException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("No space left") || message.contains("Disk quota")) {
            setProblem("spool " + directory + ": " + message);
        }
        if (!timer.isShutdown()) {
            timer.execute(this::refresh);
        }
    }

    void refresh() {
        try {
            DiskProbe.Usage u = probe.probe(directory);
            String p = null;
            if (u.totalBytes() > 0 && u.usableBytes() * 100 < u.totalBytes() * minFreeSpacePercent) {
                p = "spool " + directory + " has " + u.usableBytes() * 100 / u.totalBytes()
                        + "% free space, the floor is " + minFreeSpacePercent + "%";
            } else if (u.totalInodes() > 0 && u.freeInodes() * 100 < u.totalInodes() * minFreeInodesPercent) {
                p = "spool " + directory + " has " + u.freeInodes() * 100 / u.totalInodes()
                        + "% free inodes, the floor is " + minFreeInodesPercent + "%";
            }
            setProblem(p);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot measure free space of {}: {}", directory, e.toString());
        }
    }

    private void setProblem(String p) {
        String old = problem;
        problem = p;
        if (p != null && old == null) {
            LOG.warn("Refusing new mail: {}", p);
        } else if (p == null && old != null) {
            LOG.info("Accepting mail again: spool {} is above its free space and inode floors", directory);
        }
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(10, TimeUnit.SECONDS);
    }
}
