package dev.sluice.api.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MailAddressTest {

    @Test
    void parsesPlainAddress() {
        MailAddress a = MailAddress.parse("Alice@Example.COM");
        assertEquals("Alice", a.localPart());
        assertEquals("example.com", a.asciiDomain());
        assertFalse(a.needsSmtpUtf8());
    }

    @Test
    void quotedLocalPartMayContainAt() {
        MailAddress a = MailAddress.parse("\"a@b\"@example.com");
        assertEquals("\"a@b\"", a.localPart());
    }

    @Test
    void internationalisedDomainBecomesALabels() {
        MailAddress a = MailAddress.parse("jörg@bücher.example");
        assertTrue(a.needsSmtpUtf8());
        assertEquals("xn--bcher-kva.example", a.asciiDomain());
    }

    @Test
    void addressLiteralsAreKept() {
        assertTrue(MailAddress.parse("postmaster@[192.0.2.1]").isAddressLiteral());
        assertEquals("[IPv6:2001:db8::1]", MailAddress.parse("x@[IPv6:2001:db8::1]").asciiDomain());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "@example.com", "user@", "user", "user@exa mple.com", "user@.example.com",
            "user@example..com", "user@-bad.example", "a\u0001b@example.com"})
    void rejectsMalformed(String text) {
        assertThrows(IllegalArgumentException.class, () -> MailAddress.parse(text));
    }

    @Test
    void rejectsOverlongLocalPart() {
        assertThrows(IllegalArgumentException.class, () -> MailAddress.parse("x".repeat(65) + "@example.com"));
    }

    @Test
    void nullSenderIsDistinct() {
        assertTrue(ReversePath.parse("").isNull());
        assertEquals("a@example.com", ReversePath.parse("a@example.com").toString());
    }
}
