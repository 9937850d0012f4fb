package dev.sluice.filter.suppression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EntryTest {

    @Test
    void addressesAndDomainsAreNormalised() {
        assertEquals(new Entry("john.doe@example.com", false), Entry.parse(" John.Doe@EXAMPLE.com "));
        assertEquals(new Entry("example.com", true), Entry.parse("Example.COM"));
        assertEquals(new Entry("example.com", true), Entry.parse("@example.com"));
        assertEquals(new Entry("xn--bcher-kva.de", true), Entry.parse("bücher.de"));
        assertEquals(Entry.parse("A@b.example").key(), Entry.parse("a@B.EXAMPLE").key());
        assertNotEquals(Entry.parse("example.com").key(), Entry.parse("x@example.com").key());
    }

    @Test
    void whatIsNeitherIsRefusedSayingSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Entry.parse("a@"));
        assertTrue(e.getMessage().startsWith("'a@' is neither an address nor a domain"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Entry.parse("bad domain.example"));
        assertThrows(IllegalArgumentException.class, () -> Entry.parse("  "));
    }
}
