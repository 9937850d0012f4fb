package dev.sluice.smtp.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SaslExchangeTest {

    static final String ALICE_HASH = PasswordHash.create("s3cret".toCharArray(), 1000);
    private final UserDirectory users = UserDirectory.parse("authUsers", List.of("alice:" + ALICE_HASH));

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void hashesAreSaltedAndVerify() {
        assertTrue(ALICE_HASH.startsWith("pbkdf2-sha256$"));
        assertFalse(ALICE_HASH.contains("s3cret"));
        assertTrue(!ALICE_HASH.equals(PasswordHash.create("s3cret".toCharArray(), 1000)));
        assertTrue(PasswordHash.parse(ALICE_HASH).matches("s3cret".toCharArray()));
        assertFalse(PasswordHash.parse(ALICE_HASH).matches("wrong".toCharArray()));
    }

    @Test
    void plainWithInitialResponse() {
        var done = assertInstanceOf(SaslExchange.Step.Done.class,
                SaslExchange.start("PLAIN", users).begin(b64("\0alice\0s3cret")));
        assertEquals("alice", done.user());
        var wrong = assertInstanceOf(SaslExchange.Step.Done.class,
                SaslExchange.start("PLAIN", users).begin(b64("\0alice\0nope")));
        assertNull(wrong.user());
        var proxy = assertInstanceOf(SaslExchange.Step.Done.class,
                SaslExchange.start("PLAIN", users).begin(b64("bob\0alice\0s3cret")));
        assertNull(proxy.user());
    }

    @Test
    void cachedVerificationStillRejectsOtherPasswords() {
        assertTrue(users.authenticate("alice", "s3cret".toCharArray()));
        assertTrue(users.authenticate("alice", "s3cret".toCharArray()));
        assertFalse(users.authenticate("alice", "s3cret2".toCharArray()));
        assertFalse(users.authenticate("mallory", "s3cret".toCharArray()));
    }

    @Test
    void loginInTwoSteps() {
        SaslExchange login = SaslExchange.start("LOGIN", users);
        assertInstanceOf(SaslExchange.Step.Challenge.class, login.begin(null));
        assertInstanceOf(SaslExchange.Step.Challenge.class, login.respond(b64("alice")));
        assertEquals("alice", ((SaslExchange.Step.Done) login.respond(b64("s3cret"))).user());
    }

    @Test
    void cancelAndGarbage() {
        assertEquals(501, ((SaslExchange.Step.Failed) SaslExchange.start("PLAIN", users).respond("*")).reply().code());
        assertEquals(501, ((SaslExchange.Step.Failed) SaslExchange.start("PLAIN", users).respond("!!")).reply().code());
        assertNull(SaslExchange.start("CRAM-MD5", users));
    }

    @Test
    void badEntriesNameTheKey() {
        String message = assertThrows(IllegalArgumentException.class,
                () -> UserDirectory.parse("authUsers", List.of("bob:plaintext"))).getMessage();
        assertTrue(message.startsWith("authUsers: user bob:"), message);
    }
}
