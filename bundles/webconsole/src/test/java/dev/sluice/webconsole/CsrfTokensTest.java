package dev.sluice.webconsole;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CsrfTokensTest {

    private final Samples.MutableClock clock = new Samples.MutableClock();
    private final CsrfTokens tokens = new CsrfTokens(Duration.ofMinutes(10), clock, new SecureRandom());

    @Test
    void aTokenIsValidForItsUserWithinItsLifetime() {
        String token = tokens.issue("alice");
        assertTrue(tokens.verify("alice", token));
        clock.now = clock.now.plus(Duration.ofMinutes(10));
        assertTrue(tokens.verify("alice", token));
    }

    @Test
    void anotherUsersExpiredTamperedOrForeignTokenIsRejected() {
        String token = tokens.issue("alice");
        assertFalse(tokens.verify("bob", token));
        assertFalse(tokens.verify("alice", null));
        assertFalse(tokens.verify("alice", "garbage"));
        assertFalse(tokens.verify("alice", token.substring(0, token.length() - 1) + "x"));
        String foreign = new CsrfTokens(Duration.ofMinutes(10), clock, new SecureRandom()).issue("alice");
        assertFalse(tokens.verify("alice", foreign));
        clock.now = clock.now.plus(Duration.ofMinutes(10)).plusSeconds(1);
        assertFalse(tokens.verify("alice", token));
    }

    @Test
    void aZeroLifetimeIsRefusedWithTheKeyName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CsrfTokens(Duration.ZERO, clock, new SecureRandom()));
        assertTrue(e.getMessage().contains("csrfTokenLifetimeMinutes"));
    }
}
