package dev.sluice.queue.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.QueueId;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.queue.Attempt;
import dev.sluice.api.queue.MessageWriter;
import dev.sluice.api.queue.RecipientStatus;
import dev.sluice.api.queue.RecipientUpdate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilePoolTest {

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        volatile Instant now = Instant.parse("2026-12-02T10:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock();

    private Path file(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void aFileIsReusableOnlyAfterTheGraceAndKeepsItsBytesUntilOverwritten() throws Exception {
        FilePool pool = new FilePool(dir.resolve("pool"), clock, 30_000, 8, 1 << 20);
        Path done = file("done", "old message");
        pool.recycle(done, 11);
        assertFalse(Files.exists(done));
        assertEquals(1, pool.size());

        Path fresh = pool.checkOut();
        assertFalse(Files.exists(fresh), "a reader of the old message may still be reading: a new name");
        clock.advance(Duration.ofSeconds(30));
        Path reused = pool.checkOut();
        assertEquals("old message", Files.readString(reused));
        assertEquals(0, pool.size());
        assertFalse(Files.exists(pool.checkOut()));
    }

    @Test
    void beyondItsFilesOrBytesFinishedFilesAreUnlinked() throws Exception {
        FilePool pool = new FilePool(dir.resolve("pool"), clock, 0, 2, 3 * 4096);
        pool.recycle(file("a", "a"), 1);
        pool.recycle(file("b", "b"), 4096);
        Path c = file("c", "c");
        pool.recycle(c, 1);
        assertFalse(Files.exists(c));
        assertEquals(2, pool.size(), "no more than 2 files");

        assertTrue(Files.exists(pool.checkOut()));
        Path big = file("big", "big");
        pool.recycle(big, 2 * 4096 + 1);
        assertFalse(Files.exists(big), "3 blocks more than the 1 pooled: over the bytes, counted in whole blocks");
        assertEquals(1, pool.size());
        Path fits = file("fits", "fits");
        pool.recycle(fits, 2 * 4096);
        assertFalse(Files.exists(fits));
        assertEquals(2, pool.size());
    }

    @Test
    void filesOfAnEarlierRunAreReusableAtOnceAndStrangersAreDeleted() throws Exception {
        Path poolDir = Files.createDirectories(dir.resolve("pool"));
        Files.writeString(poolDir.resolve("7"), "left over");
        Files.writeString(poolDir.resolve("junk"), "?");
        FilePool pool = new FilePool(poolDir, clock, 30_000, 8, 1 << 20);
        assertFalse(Files.exists(poolDir.resolve("junk")));
        Path reused = pool.checkOut();
        assertEquals("left over", Files.readString(reused));
        assertEquals(poolDir.resolve("8"), pool.checkOut(), "names continue after the adopted ones");
    }

    @Test
    void aFileAlsoLinkedInTheQueueIsNotReused() throws Exception {
        Path poolDir = Files.createDirectories(dir.resolve("pool"));
        Path queued = file("queued", "a message the queue still holds");
        Files.createLink(poolDir.resolve("7"), queued); // a move into the pool that a crash left half done
        FilePool pool = new FilePool(poolDir, clock, 30_000, 8, 1 << 20);
        assertEquals(0, pool.size());
        assertFalse(Files.exists(poolDir.resolve("7")), "only the pool's name goes");
        assertEquals("a message the queue still holds", Files.readString(queued));
    }

    @Test
    void aReusedFileHoldsExactlyItsNewMessageAndItsRecords() throws Exception {
        QueueId big;
        QueueId small;
        String smallBody = "Subject: small\r\n\r\nhi\r\n";
        try (FileSpool spool = new FileSpool(Fixtures.settings(dir).withClock(clock))) {
            big = Fixtures.write(spool, Fixtures.envelope("a@one.example"));
            Object inode = Files.readAttributes(spool.layout().file(QueueIds.parse(big.value())),
                    java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            spool.update(big, List.of(new RecipientUpdate(0, RecipientStatus.DELIVERED, clock.instant(), null)));
            clock.advance(Duration.ofMinutes(1));
            try (MessageWriter w = spool.open(Fixtures.envelope("b@two.example", "c@two.example"))) {
                w.content().write(smallBody.getBytes(StandardCharsets.US_ASCII));
                small = w.commit().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            Path file = spool.layout().file(QueueIds.parse(small.value()));
            assertEquals(inode, Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey(),
                    "the finished message's file was reused");
            assertTrue(Files.size(file) < 400, "the old, longer message was cut off: " + Files.size(file));
            assertEquals(smallBody, Fixtures.read(spool, small));
            spool.update(small, List.of(new RecipientUpdate(1, RecipientStatus.DEFERRED, clock.instant(),
                    new Attempt(clock.instant(), "mx.two.example", Reply.of(451, "4.7.1", "later")))));
        }
        clock.advance(Duration.ofSeconds(1)); // a restart: its ids are later than the messages it finds
        try (FileSpool spool = new FileSpool(Fixtures.settings(dir).withClock(clock))) {
            Fixtures.await(spool.recovered());
            var m = spool.get(small).orElseThrow();
            assertEquals(List.of(RecipientStatus.PENDING, RecipientStatus.DEFERRED),
                    m.recipients().stream().map(r -> r.status()).toList());
            assertEquals(smallBody, Fixtures.read(spool, small));
            assertTrue(spool.get(big).isEmpty());
            assertEquals(1, spool.size());
        }
    }
}
