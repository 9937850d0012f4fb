package dev.sluice.webconsole;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/**
 * CSRF tokens bound to the console user: {@code <issued epoch seconds>.<HMAC-SHA256(key, user + issued)>}.
 * Stateless, so they work with the console's HTTP Basic login, which has no session. The key is random per
 * component instance: a restart or bundle update invalidates open forms (the user reloads the page), and a
 * token leaked from one page is useless on another page or after its lifetime.
 */
final class CsrfTokens {

    static final String FIELD = "csrf";
    private static final Duration FUTURE_SKEW = Duration.ofMinutes(1);

    private final Hmac hmac;
    private final Duration lifetime;
    private final Clock clock;

    CsrfTokens(Duration lifetime, Clock clock, SecureRandom random) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("csrfTokenLifetimeMinutes: must be at least 1");
        }
        this.hmac = new Hmac(random);
        this.lifetime = lifetime;
        this.clock = clock;
    }

    String issue(String user) {
        long issued = clock.instant().getEpochSecond();
        return issued + "." + hmac.sign(user + "\n" + issued);
    }

    boolean verify(String user, String token) {
        if (token == null) {
            return false;
        }
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        long issued;
        try {
            issued = Long.parseLong(token.substring(0, dot));
        } catch (NumberFormatException e) {
            return false;
        }
        long now = clock.instant().getEpochSecond();
        if (issued > now + FUTURE_SKEW.toSeconds() || now - issued > lifetime.toSeconds()) {
            return false;
        }
        return hmac.verify(user + "\n" + issued, token.substring(dot + 1));
    }
}
