package dev.sluice.queue.file;

import static dev.sluice.queue.file.Fixtures.envelope;
import static dev.sluice.queue.file.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.QueueId;
import dev.sluice.api.queue.QueueEntry;
import dev.sluice.api.queue.RecipientStatus;
import dev.sluice.api.queue.RecipientUpdate;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryTest {

    @TempDir
    Path dir;

    @Test
    void recoveryRebuildsTheIndexAnnouncesAndQuarantinesBadFiles() throws Exception {
        List<QueueId> good = new ArrayList<>();
        QueueId truncated;
        QueueId corrupt;
        QueueId unacknowledged;
        Path temp;
        try (FileSpool spool = new FileSpool(Fixtures.settings(dir))) {
            for (int i = 0; i < 5; i++) {
                good.add(write(spool, envelope("r" + i + "@d" + i + ".example")));
            }
            truncated = write(spool, envelope("t@t.example"));
            corrupt = write(spool, envelope("c@c.example"));
            var w = spool.open(envelope("never@acked.example"));
            w.content().write("half a message".getBytes());
            w.content().flush();
            unacknowledged = w.queueId();
            // simulate a crash: the writer is never committed nor aborted. Earlier versions received into
            // <id>.tmp beside the messages; the scan still removes such a file.
            temp = fileOf(good.get(0)).resolveSibling(good.get(0).value() + SpoolLayout.TEMP_SUFFIX);
            Files.writeString(temp, "half a message of an earlier version");
        }
        Path truncatedFile = fileOf(truncated);
        try (RandomAccessFile f = new RandomAccessFile(truncatedFile.toFile(), "rw")) {
            f.setLength(f.length() - 100);
        }
        Path corruptFile = fileOf(corrupt);
        try (RandomAccessFile f = new RandomAccessFile(corruptFile.toFile(), "rw")) {
            f.seek(MessageFormat.HEADER_SIZE + 3);
            int b = f.read();
            f.seek(MessageFormat.HEADER_SIZE + 3);
            f.write(b ^ 0x55);
        }
        List<QueueEntry> announced = new CopyOnWriteArrayList<>();
        try (FileSpool spool = new FileSpool(Fixtures.settings(dir, announced))) {
            SpoolRecovery.Stats stats = Fixtures.await(spool.recovered());
            assertEquals(5, stats.recovered());
            assertEquals(2, stats.quarantined());
            assertEquals(1, stats.tempFiles());
            assertFalse(Files.exists(temp));
            assertTrue(spool.get(unacknowledged).isEmpty(), "never acknowledged: its file is only a pool file");
            assertEquals(Set.copyOf(good), announced.stream().map(QueueEntry::id).collect(Collectors.toSet()));
            assertEquals(5, spool.size());
            List<QueueId> indexed = new ArrayList<>();
            spool.forEach(e -> indexed.add(e.id()));
            assertEquals(Set.copyOf(good), Set.copyOf(indexed));
            for (QueueId id : good) {
                Fixtures.assertIntact(spool, id);
            }
            assertFalse(Files.exists(truncatedFile));
            assertFalse(Files.exists(corruptFile));
            assertTrue(Files.exists(dir.resolve("quarantine").resolve(truncated.value())));
            assertTrue(Files.exists(dir.resolve("quarantine").resolve(corrupt.value())));
            assertTrue(spool.get(truncated).isEmpty());
            // accepting continues as normal
            QueueId fresh = write(spool, envelope("new@d.example"));
            Fixtures.assertIntact(spool, fresh);
        }
    }

    @Test
    void newMailIsAcceptedWhileTheScanIsStillRunning() throws Exception {
        Set<QueueId> old = new java.util.HashSet<>();
        try (FileSpool spool = new FileSpool(Fixtures.settings(dir))) {
            for (int i = 0; i < 3; i++) {
                old.add(write(spool, envelope("r" + i + "@old.example")));
            }
        }
        java.util.concurrent.CountDownLatch scanning = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        List<QueueId> announced = new CopyOnWriteArrayList<>();
        // the scan announces each old message; the first announcement waits until the new mail is in
        java.util.function.Consumer<QueueEntry> announcer = e -> {
            if (old.contains(e.id())) {
                scanning.countDown();
                try {
                    gate.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
            announced.add(e.id());
        };
        try (FileSpool spool = new FileSpool(SpoolSettings.defaults(dir, announcer).withProbe(Fixtures.PLENTY))) {
            assertTrue(scanning.await(30, java.util.concurrent.TimeUnit.SECONDS));
            try {
                assertFalse(spool.recovered().isDone());
                QueueId fresh = write(spool, envelope("new@d.example"));
                Fixtures.assertIntact(spool, fresh);
                assertTrue(announced.contains(fresh));
                assertFalse(spool.recovered().isDone(), "the new message did not wait for the scan");
            } finally {
                gate.countDown();
            }
            assertEquals(3, Fixtures.await(spool.recovered()).recovered());
            assertEquals(4, spool.size());
            assertTrue(announced.containsAll(old));
        }
    }

    @Test
    void aMessageWhoseRecipientsAreAllFinalIsDeletedNotRequeued() throws Exception {
        QueueId id;
        byte[] saved;
        try (FileSpool spool = new FileSpool(Fixtures.settings(dir))) {
            id = write(spool, envelope("a@one.example"));
            saved = Files.readAllBytes(fileOf(id));
            spool.update(id, List.of(new RecipientUpdate(0, RecipientStatus.DELIVERED, Instant.EPOCH, null)));
            assertFalse(Files.exists(fileOf(id)));
        }
        // the final record reached the disk but the unlink did not
        Files.write(fileOf(id), saved);
        try (var ch = java.nio.channels.FileChannel.open(fileOf(id), java.nio.file.StandardOpenOption.APPEND)) {
            ch.write(MessageFormat.record(MessageFormat.RECORD_UPDATE, MessageFormat.updatePayload(
                    new RecipientUpdate(0, RecipientStatus.DELIVERED, Instant.EPOCH, null))));
        }
        List<QueueEntry> announced = new CopyOnWriteArrayList<>();
        try (FileSpool spool = new FileSpool(Fixtures.settings(dir, announced))) {
            SpoolRecovery.Stats stats = Fixtures.await(spool.recovered());
            assertEquals(1, stats.completed());
            assertEquals(0, stats.recovered());
            assertEquals(List.of(), announced);
            assertFalse(Files.exists(fileOf(id)));
        }
    }

    private Path fileOf(QueueId id) {
        return new SpoolLayout(dir).file(QueueIds.parse(id.value()));
    }
}
