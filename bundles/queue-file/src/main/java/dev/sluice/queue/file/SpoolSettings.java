package dev.sluice.queue.file;

import dev.sluice.api.queue.QueueEntry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/** Everything a {@link FileSpool} needs, including the seams tests replace (clock, probe, fsync). */
record SpoolSettings(Path root, int minFreeSpacePercent, int minFreeInodesPercent, Duration diskCheckInterval,
                     int syncThreads, int maxBatch, int recoveryThreads, Clock clock, DiskProbe probe, FileSync sync,
                     Consumer<QueueEntry> announcer, Duration removalLinger) {

    /**
     * How long a delivered message's removal may wait for the next commit's fsync of its directory before it fsyncs
     * the directory itself: about the time between commits at a few hundred messages a second (one device flush per
     * message less), and short against a delivery. Under load commits and other removals come sooner, and with no
     * mail coming in nothing waits ({@link SharedDirectorySync#force(Path, long)}).
     */
    static final Duration REMOVAL_LINGER = Duration.ofMillis(5);

    static SpoolSettings defaults(Path root, Consumer<QueueEntry> announcer) {
        return new SpoolSettings(root, 10, 10, Duration.ofSeconds(10), 16, 512, 16, Clock.systemUTC(),
                new DiskProbe.Default(), FileSync.REAL, announcer, REMOVAL_LINGER);
    }

    SpoolSettings withSync(FileSync other) {
        return new SpoolSettings(root, minFreeSpacePercent, minFreeInodesPercent, diskCheckInterval, syncThreads,
                maxBatch, recoveryThreads, clock, probe, other, announcer, removalLinger);
    }

    SpoolSettings withClock(Clock other) {
        return new SpoolSettings(root, minFreeSpacePercent, minFreeInodesPercent, diskCheckInterval, syncThreads,
                maxBatch, recoveryThreads, other, probe, sync, announcer, removalLinger);
    }

    SpoolSettings withProbe(DiskProbe other) {
        return new SpoolSettings(root, minFreeSpacePercent, minFreeInodesPercent, diskCheckInterval, syncThreads,
                maxBatch, recoveryThreads, clock, other, sync, announcer, removalLinger);
    }

    SpoolSettings withRemovalLinger(Duration other) {
        return new SpoolSettings(root, minFreeSpacePercent, minFreeInodesPercent, diskCheckInterval, syncThreads,
                maxBatch, recoveryThreads, clock, probe, sync, announcer, other);
    }
}
