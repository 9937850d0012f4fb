package dev.sluice.queue.file;

import static dev.sluice.api.queue.RecipientStatus.BOUNCED;
import static dev.sluice.api.queue.RecipientStatus.DEFERRED;
import static dev.sluice.api.queue.RecipientStatus.DELIVERED;
import static dev.sluice.api.queue.RecipientStatus.PENDING;
import static dev.sluice.queue.file.Fixtures.envelope;
import static dev.sluice.queue.file.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.QueueId;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.queue.Attempt;
import dev.sluice.api.queue.QueueEntry;
import dev.sluice.api.queue.QueuedMessage;
import dev.sluice.api.queue.RecipientUpdate;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecipientStateTest {

    private static final Instant T1 = Instant.parse("2026-11-23T12:00:00Z");
    private static final Instant RETRY = Instant.parse("2099-11-23T12:05:00Z");

    @TempDir
    Path dir;

    @Test
    void updatesAndHoldArePersistedAndReloadedAfterRestart() throws Exception {
        QueueId id;
        try (FileSpool spool = new FileSpool(Fixtures.settings(dir))) {
            id = write(spool, envelope("a@one.example", "b@two.example", "c@two.example"));
            spool.update(id, List.of(
                    new RecipientUpdate(0, DELIVERED, T1, new Attempt(T1, "mx.one.example [192.0.2.1]",
                            Reply.of(250, "2.0.0", "OK queued as 123"))),
                    new RecipientUpdate(1, DEFERRED, RETRY, new Attempt(T1, "mx.two.example",
                            Reply.of(451, "4.7.1", "greylisted\nplease retry")))));
            spool.update(id, List.of(new RecipientUpdate(1, DEFERRED, RETRY, new Attempt(RETRY.minusSeconds(60),
                    "mx2.two.example [192.0.2.2]", Reply.of(421, "4.4.2", "closing")))));
            spool.setHeld(id, true);
        }
        List<QueueEntry> announced = new ArrayList<>();
        try (FileSpool spool = new FileSpool(Fixtures.settings(dir, announced))) {
            Fixtures.await(spool.recovered());
            QueuedMessage m = spool.get(id).orElseThrow();
            assertTrue(m.held());
            assertEquals(List.of(DELIVERED, DEFERRED, PENDING), m.recipients().stream().map(r -> r.status()).toList());
            assertEquals(RETRY, m.recipients().get(1).nextAttempt());
            assertEquals("greylisted\nplease retry", m.recipients().get(1).attempts().get(0).reply().text());
            // the history keeps every attempt, in order: time, remote host and reply
            assertEquals(List.of("mx.two.example", "mx2.two.example [192.0.2.2]"),
                    m.recipients().get(1).attempts().stream().map(Attempt::remoteHost).toList());
            assertEquals(List.of(T1, RETRY.minusSeconds(60)),
                    m.recipients().get(1).attempts().stream().map(Attempt::at).toList());
            assertEquals(Reply.of(421, "4.4.2", "closing"), m.recipients().get(1).attempts().get(1).reply());
            assertEquals("mx.one.example [192.0.2.1]", m.recipients().get(0).attempts().get(0).remoteHost());
            assertEquals(List.of(), m.recipients().get(2).attempts());

            QueueEntry entry = announced.get(0);
            assertTrue(entry.held());
            assertEquals(List.of("two.example"), entry.destinations());
            assertEquals(m.recipients().get(2).nextAttempt(), entry.nextAttempt(), "earliest unfinished");

            spool.setHeld(id, false);
            assertFalse(spool.get(id).orElseThrow().held());
            assertFalse(single(spool).held());
        }
    }

    @Test
    void messageIsRemovedWhenEveryRecipientIsFinal() throws Exception {
        try (FileSpool spool = new FileSpool(Fixtures.settings(dir))) {
            QueueId id = write(spool, envelope("a@one.example", "b@two.example"));
            Path file = spool.layout().file(QueueIds.parse(id.value()));
            spool.update(id, List.of(new RecipientUpdate(0, BOUNCED, T1, null)));
            assertTrue(Files.exists(file));
            assertEquals(List.of("two.example"), single(spool).destinations());
            spool.update(id, List.of(new RecipientUpdate(1, DELIVERED, T1, null)));
            assertFalse(Files.exists(file));
            assertTrue(spool.get(id).isEmpty());
            assertEquals(0, spool.size());
        }
    }

    @Test
    void completingAMessageWritesNoRecordButUnlinksAndFsyncsItsDirectory() throws Exception {
        Fixtures.CountingSync sync = new Fixtures.CountingSync();
        try (FileSpool spool = new FileSpool(Fixtures.settings(dir).withSync(sync))) {
            QueueId id = write(spool, envelope("a@one.example", "b@two.example"));
            Path file = spool.layout().file(QueueIds.parse(id.value()));
            spool.update(id, List.of(new RecipientUpdate(0, DEFERRED, RETRY, null)));
            long size = Files.size(file);
            int files = sync.files.get();
            int directories = sync.directories.get();

            spool.update(id, List.of(new RecipientUpdate(0, DELIVERED, T1, null),
                    new RecipientUpdate(1, BOUNCED, T1, null)));

            assertFalse(Files.exists(file));
            assertEquals(files, sync.files.get(), "no final record is written and fsynced");
            assertEquals(directories + 1, sync.directories.get(), "the unlink is made durable");
            assertTrue(spool.get(id).isEmpty());
            assertTrue(size > 0);
        }
    }

    @Test
    void badRecipientIndexIsRefusedAndWritesNothing() throws Exception {
        try (FileSpool spool = new FileSpool(Fixtures.settings(dir))) {
            QueueId id = write(spool, envelope("a@one.example"));
            long before = Files.size(spool.layout().file(QueueIds.parse(id.value())));
            assertThrows(IllegalArgumentException.class, () -> spool.update(id, List.of(
                    new RecipientUpdate(0, DELIVERED, T1, null), new RecipientUpdate(5, DELIVERED, T1, null))));
            assertEquals(before, Files.size(spool.layout().file(QueueIds.parse(id.value()))));
            assertEquals(PENDING, spool.get(id).orElseThrow().recipients().get(0).status());
        }
    }

    @Test
    void tornAppendFromACrashIsIgnoredAndOverwritten() throws Exception {
        try (FileSpool spool = new FileSpool(Fixtures.settings(dir))) {
            QueueId id = write(spool, envelope("a@one.example", "b@two.example"));
            Path file = spool.layout().file(QueueIds.parse(id.value()));
            spool.update(id, List.of(new RecipientUpdate(0, DEFERRED, RETRY, null)));
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.APPEND)) {
                ch.write(MessageFormat.record(MessageFormat.RECORD_UPDATE, MessageFormat.updatePayload(
                        new RecipientUpdate(1, DELIVERED, T1, null))).limit(12));
            }
            assertEquals(PENDING, spool.get(id).orElseThrow().recipients().get(1).status());
            spool.update(id, List.of(new RecipientUpdate(1, DEFERRED, RETRY, null)));
            QueuedMessage m = spool.get(id).orElseThrow();
            assertEquals(List.of(DEFERRED, DEFERRED), m.recipients().stream().map(r -> r.status()).toList());
        }
    }

    private static QueueEntry single(FileSpool spool) {
        List<QueueEntry> all = new ArrayList<>();
        spool.forEach(all::add);
        assertEquals(1, all.size());
        return all.get(0);
    }
}
