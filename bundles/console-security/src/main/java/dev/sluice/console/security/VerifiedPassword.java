package dev.sluice.console.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers the last password that passed the slow PBKDF2 check, for a short time, as an HMAC under a key
 * that never leaves memory. HTTP Basic sends the password with every request, and one console page loads a
 * dozen resources: without this each of them costs a full PBKDF2 derivation. A wrong password never matches
 * the remembered HMAC, so it always takes the slow path; nothing is written anywhere.
 */
final class VerifiedPassword {

    private record Remembered(byte[] mac, Instant until) {
    }

    private final SecretKeySpec key;
    private final Duration lifetime;
    private final Clock clock;
    private final AtomicReference<Remembered> remembered = new AtomicReference<>();

    VerifiedPassword(Duration lifetime, Clock clock, SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        this.key = new SecretKeySpec(bytes, "HmacSHA256");
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** True when the password was verified within the lifetime, or {@code slowCheck} accepts it now. */
    boolean matches(String password, Predicate<String> slowCheck) {
        if (lifetime.isZero()) {
            return slowCheck.test(password);
        }
        byte[] mac = mac(password);
        Remembered last = remembered.get();
        Instant now = clock.instant();
        if (last != null && now.isBefore(last.until()) && MessageDigest.isEqual(last.mac(), mac)) {
            return true;
        }
        if (!slowCheck.test(password)) {
            return false;
        }
        remembered.set(new Remembered(mac, now.plus(lifetime)));
        return true;
    }

    private byte[] mac(String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }
}
