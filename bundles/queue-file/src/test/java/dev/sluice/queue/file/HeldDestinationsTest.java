package dev.sluice.queue.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.queue.QueueException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Destinations held by an operator are a small fsynced file of the spool, so a hold outlives a restart. */
class HeldDestinationsTest {

    @TempDir
    Path dir;

    @Test
    void storedDestinationsAreReadBackByTheNextInstanceAndAFailedStoreKeepsTheOldList() throws Exception {
        Fixtures.CountingSync sync = new Fixtures.CountingSync();
        try (FileSpool spool = new FileSpool(Fixtures.settings(dir).withSync(sync))) {
            assertEquals(Set.of(), spool.heldDestinations());
            int files = sync.files.get();
            int directories = sync.directories.get();
            assertTrue(spool.storeHeldDestinations(Set.of("b.example", "a.example")));
            assertEquals(files + 1, sync.files.get(), "the list is fsynced");
            assertEquals(directories + 1, sync.directories.get(), "and its directory entry");
        }
        // as after kill -9: a new instance on the same spool
        try (FileSpool spool = new FileSpool(Fixtures.settings(dir).withSync(sync))) {
            assertEquals(Set.of("a.example", "b.example"), spool.heldDestinations());
            assertEquals("a.example\nb.example\n", Files.readString(dir.resolve("held-destinations")));
            sync.failFiles = true;
            QueueException e = assertThrows(QueueException.class,
                    () -> spool.storeHeldDestinations(Set.of("a.example")));
            assertEquals("451 4.3.0", e.reply().code() + " " + e.reply().enhancedStatus());
            assertEquals(Set.of("a.example", "b.example"), spool.heldDestinations(), "old list or new, never half");
            sync.failFiles = false;
            spool.storeHeldDestinations(Set.of());
            assertEquals(Set.of(), spool.heldDestinations());
            Fixtures.assertIntact(spool, Fixtures.write(spool, Fixtures.envelope("x@a.example")));
        }
    }

    @Test
    void anUnreadableListIs451() throws Exception {
        try (FileSpool spool = new FileSpool(Fixtures.settings(dir))) {
            Files.createDirectory(dir.resolve("held-destinations"));
            assertEquals(451, assertThrows(QueueException.class, spool::heldDestinations).reply().code());
        }
    }
}
