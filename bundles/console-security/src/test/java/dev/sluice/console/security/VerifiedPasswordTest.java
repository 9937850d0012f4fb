package dev.sluice.console.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class VerifiedPasswordTest {

    private final AtomicInteger slowChecks = new AtomicInteger();
    private final Predicate<String> slow = p -> {
        slowChecks.incrementAndGet();
        return p.equals("right");
    };

    @Test
    void aVerifiedPasswordSkipsTheSlowCheckUntilItsLifetimeEnds() {
        Instant t0 = Instant.parse("2026-12-02T10:00:00Z");
        VerifiedPassword cache = new VerifiedPassword(Duration.ofMinutes(5),
                Clock.fixed(t0, ZoneOffset.UTC), new SecureRandom());
        assertTrue(cache.matches("right", slow));
        assertTrue(cache.matches("right", slow));
        assertTrue(cache.matches("right", slow));
        assertEquals(1, slowChecks.get());

        VerifiedPassword later = new VerifiedPassword(Duration.ofMinutes(5), new StepClock(t0, Duration.ofMinutes(3)),
                new SecureRandom());
        assertTrue(later.matches("right", slow));   // t0: slow
        assertTrue(later.matches("right", slow));   // t0+3 min: remembered
        assertTrue(later.matches("right", slow));   // t0+6 min: expired, slow again
        assertEquals(3, slowChecks.get());
    }

    @Test
    void aWrongPasswordAlwaysTakesTheSlowCheckAndIsNeverRemembered() {
        VerifiedPassword cache = new VerifiedPassword(Duration.ofMinutes(5), Clock.systemUTC(), new SecureRandom());
        assertTrue(cache.matches("right", slow));
        assertFalse(cache.matches("wrong", slow));
        assertFalse(cache.matches("wrong", slow));
        assertFalse(cache.matches("righ", slow));
        assertEquals(4, slowChecks.get());
    }

    @Test
    void aZeroLifetimeChecksEveryTime() {
        VerifiedPassword cache = new VerifiedPassword(Duration.ZERO, Clock.systemUTC(), new SecureRandom());
        assertTrue(cache.matches("right", slow));
        assertTrue(cache.matches("right", slow));
        assertEquals(2, slowChecks.get());
    }

    /** Each reading of the time is {@code step} later than the previous one. */
    private static final class StepClock extends Clock {
        private Instant next;
        private final Duration step;

        StepClock(Instant start, Duration step) {
            this.next = start;
            this.step = step;
        }

        @Override
        public Instant instant() {
            Instant now = next;
            next = next.plus(step);
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
