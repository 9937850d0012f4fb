package dev.sluice.filter.suppression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.MailAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuppressionStoreTest {

    @TempDir
    Path home;

    private SuppressionStore open() throws Exception {
        return new SuppressionStore(TestConfig.with("reloadSeconds", 3600), home);
    }

    private static Optional<String> match(SuppressionStore store, String address) {
        return store.match(MailAddress.parse(address));
    }

    @Test
    void theListFileMatchesAddressesDomainsAndSubdomainsAndIsReloadedWhenChanged() throws Exception {
        Path list = home.resolve("conf/suppression.txt");
        Files.createDirectories(list.getParent());
        Files.writeString(list, "address\n# complaints\nGone@Example.com\n\"blocked.example\",2024-01-01\nnot an entry\n");
        SuppressionStore store = open();
        try {
            assertEquals(Optional.of("address"), match(store, "gone@example.COM"));
            assertEquals(Optional.of("domain blocked.example"), match(store, "x@mx.blocked.example"));
            assertEquals(Optional.empty(), match(store, "other@example.com"));
            assertEquals(2, store.listedCount());

            Files.writeString(list, "other@example.com\n");
            Files.setLastModifiedTime(list, FileTime.from(Instant.now().plusSeconds(5)));
            store.reloadIfChanged();
            assertEquals(Optional.empty(), match(store, "gone@example.com"));
            assertEquals(Optional.of("address"), match(store, "other@example.com"));

            Files.delete(list);
            store.reloadIfChanged();
            assertEquals(0, store.listedCount());
        } finally {
            store.close();
        }
    }

    @Test
    void managedEntriesSurviveARestartAndCanBeRemoved() throws Exception {
        SuppressionStore store = open();
        assertEquals(2, store.add(List.of(Entry.parse("a@x.example"), Entry.parse("y.example")), "test"));
        assertEquals(0, store.add(List.of(Entry.parse("A@X.example")), "again"));
        store.addSoon(Entry.parse("bounced@z.example"), "bounce");
        store.close(); // writes what addSoon queued

        store = open();
        try {
            assertEquals(3, store.managedCount());
            assertTrue(match(store, "bounced@z.example").isPresent());
            assertTrue(store.remove(Entry.parse("y.example")));
            assertEquals(Optional.empty(), match(store, "q@y.example"));
        } finally {
            store.close();
        }
        store = open();
        try {
            assertEquals(2, store.managedCount());
            assertEquals(Optional.empty(), match(store, "q@y.example"));
        } finally {
            store.close();
        }
    }

    @Test
    void anEntryOfTheListFileIsRemovedByEditingTheFileOnly() throws Exception {
        Path list = home.resolve("conf/suppression.txt");
        Files.createDirectories(list.getParent());
        Files.writeString(list, "listed.example\n");
        SuppressionStore store = open();
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> store.remove(Entry.parse("listed.example")));
            assertTrue(e.getMessage().contains("suppression.txt"), e.getMessage());
            assertEquals(0, store.add(List.of(Entry.parse("listed.example")), "dup"), "already listed");
        } finally {
            store.close();
        }
    }

    @Test
    void aDamagedJournalLineIsSkipped() throws Exception {
        Path journal = home.resolve("data/suppression/journal.log");
        Files.createDirectories(journal.getParent());
        Files.writeString(journal, "+\tok@x.example\t1\tr\ngarbage\n+\tnot an address@\t1\tr\n+\ttwo@x.example\t2\tr\n");
        SuppressionStore store = open();
        try {
            assertEquals(2, store.managedCount());
        } finally {
            store.close();
        }
    }

    @Test
    void aBadReloadIntervalNamesTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SuppressionStore(TestConfig.with("reloadSeconds", 0), home));
        assertTrue(e.getMessage().startsWith("reloadSeconds"));
    }
}
