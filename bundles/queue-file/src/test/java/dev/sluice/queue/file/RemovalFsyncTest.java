package dev.sluice.queue.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.QueueId;
import dev.sluice.api.queue.RecipientStatus;
import dev.sluice.api.queue.RecipientUpdate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A delivered message leaves the queue durably with the next commit's directory fsync: one device flush less. */
class RemovalFsyncTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T17:00:00Z"), ZoneOffset.UTC); // one leaf dir

    @TempDir
    Path dir;

    private FileSpool spool(FileSync sync, Duration removalLinger) throws Exception {
        return new FileSpool(Fixtures.settings(dir).withClock(clock).withSync(sync).withRemovalLinger(removalLinger));
    }

    @Test
    void aRemovalReturnsWithTheNextCommitsFsyncOfItsDirectoryAndNoneOfItsOwn() throws Exception {
        Fixtures.CountingSync counting = new Fixtures.CountingSync();
        try (FileSpool spool = spool(counting, Duration.ofMinutes(5))) {
            QueueId first = Fixtures.write(spool, Fixtures.envelope("a@one.example"));
            Path firstFile = spool.layout().file(QueueIds.parse(first.value()));
            int directoryFsyncs = counting.directories.get();

            CompletableFuture<Void> delivered = CompletableFuture.runAsync(() -> {
                try {
                    spool.update(first, List.of(new RecipientUpdate(0, RecipientStatus.DELIVERED, clock.instant(),
                            null)));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Fixtures.awaitThreadsIn("waitNanos", Thread.State.TIMED_WAITING, 1);
            assertFalse(Files.exists(firstFile), "moved out of the queue");
            assertFalse(delivered.isDone(), "not durable yet: no fsync of its directory has begun since");

            QueueId second = Fixtures.write(spool, Fixtures.envelope("b@two.example"));
            delivered.get(10, TimeUnit.SECONDS);
            assertEquals(1, counting.directories.get() - directoryFsyncs,
                    "the second commit's directory fsync made the first message's removal durable too");
            assertTrue(spool.get(first).isEmpty());
            Fixtures.assertIntact(spool, second);
        }
    }

    @Test
    void withNoCommitComingTheRemovalFsyncsItsDirectoryItself() throws Exception {
        Fixtures.CountingSync counting = new Fixtures.CountingSync();
        try (FileSpool spool = spool(counting, Duration.ofMillis(20))) {
            QueueId id = Fixtures.write(spool, Fixtures.envelope("a@one.example"));
            int directoryFsyncs = counting.directories.get();
            spool.update(id, List.of(new RecipientUpdate(0, RecipientStatus.DELIVERED, clock.instant(), null)));
            assertEquals(1, counting.directories.get() - directoryFsyncs);
            assertTrue(spool.get(id).isEmpty());
        }
    }
}
