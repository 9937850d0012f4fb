package dev.sluice.queue.file;

import static dev.sluice.queue.file.Fixtures.envelope;
import static dev.sluice.queue.file.Fixtures.files;
import static dev.sluice.queue.file.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.QueueId;
import dev.sluice.api.queue.MessageWriter;
import dev.sluice.api.queue.QueueEntry;
import dev.sluice.api.queue.QueueException;
import dev.sluice.api.queue.QueuedMessage;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitTest {

    @TempDir
    Path dir;

    @Test
    void committedMessageIsOnDiskAndSurvivesAnUncleanRestart() throws Exception {
        List<QueueEntry> announced = new CopyOnWriteArrayList<>();
        FileSpool first = new FileSpool(Fixtures.settings(dir, announced));
        QueueId id = write(first, envelope("a@one.example", "b@Two.example"));

        Path file = first.layout().file(QueueIds.parse(id.value()));
        assertEquals(List.of(file), files(dir));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MessageState state = MessageFormat.read(ch);
            assertEquals(envelope("a@one.example", "b@Two.example"), state.envelope);
            assertEquals(Fixtures.body(id).length(), state.contentLength);
        }
        assertEquals(1, announced.size());
        QueueEntry entry = announced.get(0);
        assertEquals(id, entry.id());
        assertEquals(List.of("one.example", "two.example"), entry.destinations());
        assertEquals("sender.example", entry.senderDomain());
        assertEquals(Fixtures.body(id).length(), entry.size());

        // the first instance is never closed, as after kill -9
        List<QueueEntry> recovered = new CopyOnWriteArrayList<>();
        try (FileSpool second = new FileSpool(Fixtures.settings(dir, recovered))) {
            assertEquals(1, Fixtures.await(second.recovered()).recovered());
            QueuedMessage m = second.get(id).orElseThrow();
            assertEquals(envelope("a@one.example", "b@Two.example"), m.envelope());
            assertFalse(m.held());
            Fixtures.assertIntact(second, id);
            assertEquals(List.of(id), recovered.stream().map(QueueEntry::id).toList());
        }
        first.close();
    }

    @Test
    void abortAndCloseWithoutCommitLeaveNothing() throws Exception {
        try (FileSpool spool = new FileSpool(Fixtures.settings(dir))) {
            MessageWriter aborted = spool.open(envelope("a@one.example"));
            aborted.content().write("partial".getBytes(StandardCharsets.US_ASCII));
            aborted.abort();
            aborted.abort();
            try (MessageWriter w = spool.open(envelope("a@one.example"))) {
                w.content().write("never committed".getBytes(StandardCharsets.US_ASCII));
            }
            assertEquals(List.of(), files(dir));
            assertEquals(0, spool.size());
            assertTrue(spool.get(aborted.queueId()).isEmpty());
        }
    }

    @Test
    void failedFsyncFailsTheCommitWith451AndLeavesNothing() throws Exception {
        Fixtures.CountingSync sync = new Fixtures.CountingSync();
        List<QueueEntry> announced = new CopyOnWriteArrayList<>();
        try (FileSpool spool = new FileSpool(Fixtures.settings(dir, announced).withSync(sync))) {
            MessageWriter w = spool.open(envelope("a@one.example"));
            w.content().write("data".getBytes(StandardCharsets.US_ASCII));
            sync.failFiles = true;
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> w.commit().toCompletableFuture().get(10, TimeUnit.SECONDS));
            QueueException qe = assertInstanceOf(QueueException.class, e.getCause());
            assertEquals(451, qe.reply().code());
            assertEquals("4.3.0", qe.reply().enhancedStatus());
            w.abort();
            assertEquals(List.of(), files(dir));
            assertEquals(0, spool.size());
            assertEquals(List.of(), announced);
            assertTrue(spool.get(w.queueId()).isEmpty());
        }
    }

    /**
     * 250 may only follow the commit: the file's data fsynced, then renamed into place, then its directory entry
     * fsynced. The directory fsync is held here; until it returns the commit must not complete.
     */
    @Test
    void commitCompletesOnlyAfterTheFileAndThenItsDirectoryAreFsynced() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch directoryGate = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<Path> watched = new java.util.concurrent.atomic.AtomicReference<>();
        FileSync gated = new FileSync() {
            @Override
            public void force(FileChannel channel) throws java.io.IOException {
                log.add("file");
                FileSync.REAL.force(channel);
            }

            @Override
            public void forceDirectory(Path directory) throws java.io.IOException {
                Path target = watched.get();
                if (target != null && directory.equals(target.getParent())) {
                    log.add(Files.exists(target) ? "directory after rename" : "directory before rename");
                    try {
                        directoryGate.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new java.io.IOException(e);
                    }
                }
                FileSync.REAL.forceDirectory(directory);
            }
        };
        List<QueueEntry> announced = new CopyOnWriteArrayList<>();
        try (FileSpool spool = new FileSpool(Fixtures.settings(dir, announced).withSync(gated))) {
            MessageWriter w = spool.open(envelope("a@one.example"));
            w.content().write(Fixtures.body(w.queueId()).getBytes(StandardCharsets.US_ASCII));
            watched.set(spool.layout().file(QueueIds.parse(w.queueId().value())));
            log.clear();
            var commit = w.commit().toCompletableFuture();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (log.size() < 2) {
                    assertTrue(System.nanoTime() < deadline, "no directory fsync: " + log);
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
                assertEquals(List.of("file", "directory after rename"), log);
                assertFalse(commit.isDone(), "the commit completed before its directory entry was durable");
                assertEquals(List.of(), announced);
            } finally {
                directoryGate.countDown();
            }
            assertEquals(w.queueId(), commit.get(10, TimeUnit.SECONDS));
            assertEquals(1, announced.size());
        }
    }

    @Test
    void failedDirectoryFsyncFailsTheCommitWith451AndLeavesNothing() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean fail = new java.util.concurrent.atomic.AtomicBoolean();
        FileSync failing = new FileSync() {
            @Override
            public void force(FileChannel channel) throws java.io.IOException {
                FileSync.REAL.force(channel);
            }

            @Override
            public void forceDirectory(Path directory) throws java.io.IOException {
                if (fail.get()) {
                    throw new java.io.IOException("Input/output error (injected)");
                }
                FileSync.REAL.forceDirectory(directory);
            }
        };
        List<QueueEntry> announced = new CopyOnWriteArrayList<>();
        try (FileSpool spool = new FileSpool(Fixtures.settings(dir, announced).withSync(failing))) {
            MessageWriter w = spool.open(envelope("a@one.example"));
            w.content().write("data".getBytes(StandardCharsets.US_ASCII));
            fail.set(true);
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> w.commit().toCompletableFuture().get(10, TimeUnit.SECONDS));
            QueueException qe = assertInstanceOf(QueueException.class, e.getCause());
            assertEquals("451 4.3.0", qe.reply().code() + " " + qe.reply().enhancedStatus());
            assertEquals(List.of(), files(dir));
            assertEquals(0, spool.size());
            assertEquals(List.of(), announced);
            fail.set(false);
            Fixtures.assertIntact(spool, write(spool, envelope("b@one.example"))); // and it recovers by itself
        }
    }

    @Test
    void commitAfterTheQueueStoppedFailsWith451InsteadOfHanging() throws Exception {
        FileSpool spool = new FileSpool(Fixtures.settings(dir));
        MessageWriter w = spool.open(envelope("a@one.example"));
        w.content().write("data".getBytes(StandardCharsets.US_ASCII));
        spool.close();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> w.commit().toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertEquals(451, assertInstanceOf(QueueException.class, e.getCause()).reply().code());
        assertEquals(List.of(), files(dir));
    }

    @Test
    void missingMessageIsEmptyForGetAndAnErrorForContentAndUpdate() throws Exception {
        try (FileSpool spool = new FileSpool(Fixtures.settings(dir))) {
            QueueId unknown = new QueueId("0000000A000");
            assertTrue(spool.get(unknown).isEmpty());
            assertTrue(spool.get(new QueueId("notOurs")).isEmpty());
            assertEquals(451, assertThrows(QueueException.class, () -> spool.content(unknown)).reply().code());
            assertThrows(QueueException.class, () -> spool.setHeld(unknown, true));
            spool.remove(unknown); // idempotent
        }
    }

    @Test
    void contentStreamsExactlyTheBytesWrittenAndSurvivesRemoval() throws Exception {
        try (FileSpool spool = new FileSpool(Fixtures.settings(dir))) {
            QueueId id = write(spool, envelope("a@one.example"));
            var content = spool.content(id);
            assertEquals(Fixtures.body(id).length(), content.size());
            try (var in = content.openStream()) {
                spool.remove(id);
                assertEquals(Fixtures.body(id), new String(in.readAllBytes(), StandardCharsets.US_ASCII));
            }
            assertTrue(spool.get(id).isEmpty());
            assertEquals(0, spool.size());
            assertFalse(Files.exists(spool.layout().file(QueueIds.parse(id.value()))));
        }
    }
}
