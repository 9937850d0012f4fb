package dev.sluice.console.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PasswordHashTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void roundTripAndSalting() {
        String a = PasswordHash.hash("correct horse", random);
        String b = PasswordHash.hash("correct horse", random);
        assertNotEquals(a, b);
        assertTrue(PasswordHash.matches("correct horse", a));
        assertTrue(PasswordHash.matches("correct horse", b));
        assertFalse(PasswordHash.matches("correct hors", a));
        assertTrue(PasswordHash.isWellFormed(a));
    }

    @Test
    void malformedStoredValuesNeverMatch() {
        for (String bad : new String[] {"", "admin", "pbkdf2-sha256$x$y$z", "pbkdf2-sha256$0$AAAA$AAAA",
                "{sha-256}jGl25bVBBBW96Qi9Te4V37Fnqchz/Eu4qB9vKrRIqRg=", "pbkdf2-sha256$1$!!$!!"}) {
            assertFalse(PasswordHash.matches("admin", bad), bad);
        }
    }

    @Test
    void randomPasswordsAreLongAndDistinct() {
        String p = PasswordHash.randomPassword(random);
        assertEquals(24, p.length());
        assertNotEquals(p, PasswordHash.randomPassword(random));
    }

    @Test
    void basicHeaderParsing() {
        String header = "Basic " + Base64.getEncoder().encodeToString("admin:pa:ss".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(new String[] {"admin", "pa:ss"}, ConsoleSecurityProvider.basicCredentials(header));
        assertNull(ConsoleSecurityProvider.basicCredentials("Bearer x"));
        assertNull(ConsoleSecurityProvider.basicCredentials("Basic !!!"));
        assertNull(ConsoleSecurityProvider.basicCredentials(null));
    }
}
