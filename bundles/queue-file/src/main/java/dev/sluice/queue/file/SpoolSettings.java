package dev.sluice.queue.file;

import dev.sluice.api.queue.QueueEntry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/** Everything a {@link FileSpool} needs, including the seams tests replace (clock, probe, fsync). */
record SpoolSettings(Path root, int minFreeSpacePercent, int minFreeInodesPercent, Duration diskCheckInterval,
                     int syncThreads, int maxBatch, int recoveryThreads, Clock clock, DiskProbe probe, FileSync sync,
                     Consumer<QueueEntry> announcer) {

    static SpoolSettings defaults(Path root, Consumer<QueueEntry> announcer) {
        return new SpoolSettings(root, 10, 10, Duration.ofSeconds(10), 16, 512, 16, Clock.systemUTC(),
                new DiskProbe.Default(), FileSync.REAL, announcer);
    }

    SpoolSettings withSync(FileSync other) {
        return new SpoolSettings(root, minFreeSpacePercent, minFreeInodesPercent, diskCheckInterval, syncThreads,
                maxBatch, recoveryThreads, clock, probe, other, announcer);
    }

    SpoolSettings withClock(Clock other) {
        return new SpoolSettings(root, minFreeSpacePercent, minFreeInodesPercent, diskCheckInterval, syncThreads,
                maxBatch, recoveryThreads, other, probe, sync, announcer);
    }

    SpoolSettings withProbe(DiskProbe other) {
        return new SpoolSettings(root, minFreeSpacePercent, minFreeInodesPercent, diskCheckInterval, syncThreads,
                maxBatch, recoveryThreads, clock, other, sync, announcer);
    }
}
