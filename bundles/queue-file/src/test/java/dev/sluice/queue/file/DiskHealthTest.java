package dev.sluice.queue.file;

import static dev.sluice.queue.file.Fixtures.envelope;
import static dev.sluice.queue.file.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.QueueId;
import dev.sluice.api.queue.QueueException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskHealthTest {

    @TempDir
    Path dir;

    private final AtomicReference<DiskProbe.Usage> usage =
            new AtomicReference<>(new DiskProbe.Usage(1000, 500, 1000, 500));
    private final DiskProbe probe = d -> usage.get();

    private FileSpool spool() throws IOException {
        // the timer never fires during a test: refreshes are triggered explicitly
        SpoolSettings s = Fixtures.settings(dir).withProbe(probe);
        return new FileSpool(new SpoolSettings(s.root(), 10, 20, Fixtures.forever(), 2, 64, 1, s.clock(),
                s.probe(), s.sync(), s.announcer(), s.removalLinger()));
    }

    @Test
    void belowTheSpaceFloorNewMailGets452AndRecoversWhenSpaceReturns() throws Exception {
        try (FileSpool spool = spool()) {
            QueueId queued = write(spool, envelope("a@one.example"));
            usage.set(new DiskProbe.Usage(1000, 99, 1000, 500));
            spool.health().refresh();
            QueueException e = assertThrows(QueueException.class, () -> spool.open(envelope("b@one.example")));
            assertEquals(452, e.reply().code());
            assertEquals("4.3.1", e.reply().enhancedStatus());
            // what is queued stays readable and changeable
            Fixtures.assertIntact(spool, queued);
            spool.setHeld(queued, true);

            usage.set(new DiskProbe.Usage(1000, 101, 1000, 500));
            spool.health().refresh();
            Fixtures.assertIntact(spool, write(spool, envelope("c@one.example")));
        }
    }

    @Test
    void theFloorIsMeasuredInTheBackgroundAndClearsByItself() throws Exception {
        SpoolSettings s = Fixtures.settings(dir).withProbe(probe);
        try (FileSpool spool = new FileSpool(new SpoolSettings(s.root(), 10, 10, java.time.Duration.ofMillis(20), 2,
                64, 1, s.clock(), s.probe(), s.sync(), s.announcer(), s.removalLinger()))) {
            usage.set(new DiskProbe.Usage(1000, 50, 1000, 500));
            assertEquals(452, awaitRefusal(spool).reply().code());
            usage.set(new DiskProbe.Usage(1000, 500, 1000, 500));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try {
                    Fixtures.assertIntact(spool, write(spool, envelope("back@one.example")));
                    break;
                } catch (QueueException e) {
                    assertTrue(System.nanoTime() < deadline, "still refusing: " + e.reply());
                    java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
                }
            }
        }
    }

    /** Polls open() until the background measurement refuses it. */
    private static QueueException awaitRefusal(FileSpool spool) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                spool.open(envelope("probe@one.example")).abort();
            } catch (QueueException e) {
                return e;
            }
            assertTrue(System.nanoTime() < deadline, "never refused");
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
    }

    @Test
    void belowTheInodeFloorNewMailGets452() throws Exception {
        try (FileSpool spool = spool()) {
            usage.set(new DiskProbe.Usage(1000, 900, 1000, 199));
            spool.health().refresh();
            assertEquals(452, assertThrows(QueueException.class,
                    () -> spool.open(envelope("b@one.example"))).reply().code());
            usage.set(new DiskProbe.Usage(1000, 900, -1, -1)); // inodes unknown: only space counts
            spool.health().refresh();
            write(spool, envelope("b@one.example"));
        }
    }

    @Test
    void aNoSpaceErrorRefusesAtOnceAndTriggersAMeasurement() throws Exception {
        CountDownLatch measured = new CountDownLatch(1);
        SpoolSettings s = Fixtures.settings(dir);
        DiskProbe counting = d -> {
            DiskProbe.Usage u = usage.get();
            if (u.usableBytes() < 100) {
                measured.countDown();
            }
            return u;
        };
        try (FileSpool spool = new FileSpool(new SpoolSettings(s.root(), 10, 20, Fixtures.forever(), 2, 64, 1,
                s.clock(), counting, s.sync(), s.announcer(), s.removalLinger()))) {
            usage.set(new DiskProbe.Usage(1000, 0, 1000, 500));
            spool.health().onIoError(new IOException("No space left on device"));
            assertEquals(452, assertThrows(QueueException.class,
                    () -> spool.open(envelope("b@one.example"))).reply().code());
            assertTrue(measured.await(10, TimeUnit.SECONDS), "an ENOSPC triggers a measurement");
            usage.set(new DiskProbe.Usage(1000, 500, 1000, 500));
            spool.health().refresh();
            write(spool, envelope("b@one.example"));
        }
    }

    @Test
    void anUnusableSpoolDirectoryGives451() throws Exception {
        try (FileSpool spool = spool()) {
            Fixtures.await(spool.recovered());
            Path messages = spool.layout().messages();
            try (var s = Files.list(messages)) {
                for (Path p : s.toList()) {
                    deleteTree(p);
                }
            }
            Files.delete(messages);
            Files.writeString(messages, "not a directory");
            QueueException e = assertThrows(QueueException.class, () -> spool.open(envelope("b@one.example")));
            assertEquals(451, e.reply().code());
            assertEquals("4.3.0", e.reply().enhancedStatus());
            Files.delete(messages);
            Files.createDirectories(messages);
            write(spool, envelope("b@one.example"));
        }
    }

    @Test
    void theDefaultProbeMeasuresThisFileSystem() throws Exception {
        DiskProbe.Usage u = new DiskProbe.Default().probe(dir);
        assertTrue(u.totalBytes() > 0 && u.usableBytes() <= u.totalBytes(), u.toString());
        assertTrue(u.totalInodes() == -1 || (u.totalInodes() > 0 && u.freeInodes() <= u.totalInodes()),
                u.toString());
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            try (var s = Files.list(p)) {
                for (Path c : s.toList()) {
                    deleteTree(c);
                }
            }
        }
        Files.delete(p);
    }
}
