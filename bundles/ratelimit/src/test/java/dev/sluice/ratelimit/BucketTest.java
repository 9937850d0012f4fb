package dev.sluice.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.ratelimit.Rate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BucketTest {

    private final TestClock clock = new TestClock("2026-11-23T10:00:00Z");
    private final LocalRateGate gate = new LocalRateGate();

    /** Asks every millisecond for a simulated minute and counts what was granted. */
    private long grantedInAMinute(Rate rate, long burst) {
        long granted = 0;
        Instant end = clock.instant().plus(Duration.ofMinutes(1));
        while (clock.instant().isBefore(end)) {
            while (gate.tryTake("k", rate, burst, clock.instant())) {
                granted++;
            }
            clock.advance(Duration.ofMillis(1));
        }
        return granted;
    }

    @Test
    void messageRateLandsWithinTenPercentOverAMinute() {
        Rate rate = Rate.parse("100/s");
        long granted = grantedInAMinute(rate, RateGate.secondBurst(rate));
        assertTrue(granted >= 5400 && granted <= 6600, "granted " + granted + " of 6000");
    }

    @Test
    void connectionRatePerMinuteLandsWithinTenPercent() {
        Rate rate = Rate.parse("60/min");
        assertEquals(1, RateGate.secondBurst(rate), "one connection per second, not 60 at once");
        long granted = grantedInAMinute(rate, RateGate.secondBurst(rate));
        assertTrue(granted >= 54 && granted <= 66, "granted " + granted + " of 60");
    }

    @Test
    void burstIsTakenAtOnceThenTheRefillPaces() {
        Rate rate = Rate.parse("10/s");
        for (int i = 0; i < 10; i++) {
            assertTrue(gate.tryTake("b", rate, 10, clock.instant()), "burst permit " + i);
        }
        assertFalse(gate.tryTake("b", rate, 10, clock.instant()));
        assertEquals(clock.instant().plusMillis(100), gate.next("b", rate, 10, clock.instant()));
        clock.advance(Duration.ofMillis(99));
        assertFalse(gate.tryTake("b", rate, 10, clock.instant()));
        clock.advance(Duration.ofMillis(1));
        assertTrue(gate.tryTake("b", rate, 10, clock.instant()));
    }

    @Test
    void aLowerRateTakesEffectAtTheNextCall() {
        assertTrue(gate.tryTake("c", Rate.parse("1000/s"), 1, clock.instant()));
        clock.advance(Duration.ofMillis(1));
        assertTrue(gate.tryTake("c", Rate.parse("1/s"), 1, clock.instant()));
        clock.advance(Duration.ofMillis(500));
        assertFalse(gate.tryTake("c", Rate.parse("1/s"), 1, clock.instant()), "1/s: the next permit is 1 s away");
    }

    @Test
    void microsRoundTrip() {
        Instant t = Instant.parse("2026-11-23T10:00:00.123456Z");
        assertEquals(t, RateGate.instant(RateGate.micros(t)));
    }
}
