package dev.sluice.queue.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.QueueId;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.queue.Attempt;
import dev.sluice.api.queue.QueuedMessage;
import dev.sluice.api.queue.RecipientStatus;
import dev.sluice.api.queue.RecipientUpdate;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A just committed message is read from memory until its first change, exactly as its file would say. */
class FreshMessagesTest {

    @TempDir
    Path dir;

    @Test
    void aFreshMessageReadsTheSameFromMemoryAsFromItsFile() throws Exception {
        QueueId id;
        QueuedMessage memory;
        try (FileSpool spool = new FileSpool(Fixtures.settings(dir))) {
            id = Fixtures.write(spool, Fixtures.envelope("a@one.example", "b@two.example"));
            memory = spool.get(id).orElseThrow();
            assertFalse(spool.content(id) instanceof FileContent, "small content kept in memory");
            Fixtures.assertIntact(spool, id);
        }
        try (FileSpool spool = new FileSpool(Fixtures.settings(dir))) {
            Fixtures.await(spool.recovered());
            QueuedMessage stored = spool.get(id).orElseThrow();
            assertTrue(spool.content(id) instanceof FileContent, "after a restart: from the file");
            assertEquals(stored.recipients(), memory.recipients());
            assertEquals(stored.size(), memory.size());
            assertEquals(stored.held(), memory.held());
            assertEquals(stored.envelope().recipients(), memory.envelope().recipients());
            assertEquals(stored.envelope().sender(), memory.envelope().sender());
            assertEquals(stored.envelope().receivedAt(), memory.envelope().receivedAt());
            Fixtures.assertIntact(spool, id);
        }
    }

    @Test
    void afterItsFirstChangeAMessageIsReadFromItsFile() throws Exception {
        try (FileSpool spool = new FileSpool(Fixtures.settings(dir))) {
            QueueId id = Fixtures.write(spool, Fixtures.envelope("a@one.example", "b@two.example"));
            Instant t = Instant.parse("2026-12-02T12:00:00Z");
            spool.update(id, List.of(new RecipientUpdate(1, RecipientStatus.DEFERRED, t,
                    new Attempt(t, "mx.two.example", Reply.of(451, "4.7.1", "later")))));
            QueuedMessage stored = spool.get(id).orElseThrow();
            assertEquals(List.of(RecipientStatus.PENDING, RecipientStatus.DEFERRED),
                    stored.recipients().stream().map(r -> r.status()).toList());
            assertEquals("later", stored.recipients().get(1).attempts().get(0).reply().text());
            assertTrue(spool.content(id) instanceof FileContent);
            Fixtures.assertIntact(spool, id);
        }
    }

    @Test
    void boundedInEntriesAndContentBytes() {
        var clock = new FilePoolTest.MovableClock();
        FreshMessages fresh = new FreshMessages(2, 10, 10_000, clock);
        long now = clock.millis();
        var e = Fixtures.envelope("a@one.example");
        fresh.put(1, new FreshMessages.Fresh(now, e, 100, 8, new byte[8]));
        fresh.put(2, new FreshMessages.Fresh(now, e, 100, 8, new byte[8]));
        assertNotNull(fresh.get(1).content());
        assertNull(fresh.get(2).content(), "over the byte bound: the state is kept, the content read from the file");
        fresh.put(3, new FreshMessages.Fresh(now, e, 100, 8, null));
        assertNull(fresh.get(3), "over the entry bound");
        fresh.forget(1);
        fresh.put(4, new FreshMessages.Fresh(now, e, 100, 8, new byte[8]));
        assertNotNull(fresh.get(4).content(), "room again once a message changed");
    }

    @Test
    void messagesLeftUnchangedTooLongMakeRoomForNewOnes() {
        var clock = new FilePoolTest.MovableClock();
        FreshMessages fresh = new FreshMessages(2, 100, 10_000, clock);
        var e = Fixtures.envelope("a@one.example");
        long t0 = clock.millis();
        fresh.put(1, new FreshMessages.Fresh(t0, e, 100, 8, new byte[8])); // say, of a held destination
        clock.advance(java.time.Duration.ofSeconds(6));
        fresh.put(2, new FreshMessages.Fresh(clock.millis(), e, 100, 8, new byte[8]));
        fresh.put(3, new FreshMessages.Fresh(clock.millis(), e, 100, 8, new byte[8]));
        assertNull(fresh.get(3), "full, and nothing is old enough to go");
        assertNotNull(fresh.get(1));

        clock.advance(java.time.Duration.ofSeconds(5)); // message 1 is 11 s old, message 2 is 5 s old
        fresh.put(4, new FreshMessages.Fresh(clock.millis(), e, 100, 8, new byte[8]));
        assertNull(fresh.get(1), "the stale one made room");
        assertNotNull(fresh.get(2), "a young one stays");
        assertNotNull(fresh.get(4).content(), "the new one is kept, content included (its bytes were freed)");

        fresh.put(5, new FreshMessages.Fresh(clock.millis(), e, 100, 8, null));
        assertNull(fresh.get(5), "full again; no sweep before a quarter of the age has passed");
        clock.advance(java.time.Duration.ofSeconds(6)); // message 2 is 11 s old now
        fresh.put(6, new FreshMessages.Fresh(clock.millis(), e, 100, 8, new byte[8]));
        assertNull(fresh.get(2));
        assertNotNull(fresh.get(6));
    }
}
