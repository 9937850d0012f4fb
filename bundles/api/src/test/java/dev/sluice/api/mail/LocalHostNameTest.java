package dev.sluice.api.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LocalHostNameTest {

    @Test
    void prefersAQualifiedKernelName() {
        assertEquals("mx1.example.com", LocalHostName.choose("mx1.example.com", "localhost"));
    }

    @Test
    void takesTheCanonicalNameWhenTheKernelNameIsBare() {
        assertEquals("mx1.example.com", LocalHostName.choose("mx1", "mx1.example.com"));
    }

    @Test
    void keepsTheBareKernelNameRatherThanLocalhostFromAReverseLookupOfLoopback() {
        assertEquals("vm", LocalHostName.choose("vm", "localhost"));
        assertEquals("vm", LocalHostName.choose("vm", "localhost.localdomain"));
    }

    @Test
    void aCanonicalNameThatIsAnAddressIsNotAName() {
        assertEquals("vm", LocalHostName.choose("vm", "127.0.0.1"));
    }

    @Test
    void fallsBackToLocalhostWhenNothingUsableIsKnown() {
        assertEquals("localhost", LocalHostName.choose("", ""));
        assertEquals("localhost", LocalHostName.choose("bad name!", null));
    }

    @Test
    void recognisesDomainsAndAddressLiterals() {
        assertTrue(LocalHostName.isDomainOrLiteral("mail.example.com"));
        assertTrue(LocalHostName.isDomainOrLiteral("[192.0.2.1]"));
        assertTrue(LocalHostName.isDomainOrLiteral("[IPv6:2001:db8::1]"));
        assertFalse(LocalHostName.isDomainOrLiteral("under_score.example"));
        assertFalse(LocalHostName.isDomainOrLiteral(""));
    }
}
