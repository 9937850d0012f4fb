package dev.sluice.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.ratelimit.ConnectionPermit;
import dev.sluice.api.ratelimit.PathKey;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A message takes its token only when a connection can carry it: one waiting for a connection spends no rate. */
class ConnectionFirstTest {

    private final TestClock clock = new TestClock("2026-11-23T10:00:00Z");
    private final PathKey path = new PathKey("mx.example.com", "ip1");

    private Shaper shaper(String connectionRate) {
        return Shapers.of(clock, Configs.rule("name", "r", "sites", new String[] {"*"}, "maxConnections", 2,
                "connectionRate", connectionRate, "messageRate", "10/s"));
    }

    private static int takeAll(Shaper shaper, PathKey path, int underWay) {
        int n = 0;
        while (n < 100 && shaper.tryAcquireMessage(path, underWay)) {
            n++;
        }
        return n;
    }

    @Test
    void aFreeConnectionCarriesTheMessage() {
        Shaper shaper = shaper("1000/s");
        shaper.tryOpenConnection(path).orElseThrow();
        assertTrue(shaper.tryAcquireMessage(path, 0), "one open connection, no delivery on it");
        assertTrue(shaper.tryAcquireMessage(path, 1), "one busy, but a second slot is free");
    }

    @Test
    void noTokenIsSpentWhileEveryConnectionIsBusyAndNoSlotIsFree() {
        Shaper shaper = shaper("1000/s");
        ConnectionPermit first = shaper.tryOpenConnection(path).orElseThrow();
        shaper.tryOpenConnection(path).orElseThrow();
        for (int i = 0; i < 50; i++) {
            assertFalse(shaper.tryAcquireMessage(path, 2), "both connections carry a delivery, no slot left");
        }
        assertEquals(clock.instant().plus(Shaper.SLOT_POLL), shaper.nextOpportunity(path));
        assertFalse(shaper.tryAcquireMessage(path, 3), "nor with a delivery still waiting for its connection");

        first.close();
        assertEquals(10, takeAll(shaper, path, 1), "a slot is free: the whole burst of 10 is still there");
        assertEquals(clock.instant().plusMillis(100), shaper.nextOpportunity(path), "then the message rate");
    }

    @Test
    void theConnectionRateHoldsBackAMessageThatNeedsANewConnection() {
        Shaper shaper = shaper("60/min");
        shaper.tryOpenConnection(path).orElseThrow().close(); // took this second's connection
        assertFalse(shaper.tryAcquireMessage(path, 0), "no connection open, and none may open before a second");
        assertEquals(clock.instant().plusSeconds(1), shaper.nextOpportunity(path));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(10, takeAll(shaper, path, 0), "no token was spent meanwhile");
    }

    @Test
    void aSuspensionOrAClosedWindowRefusesAsBefore() {
        Shaper shaper = shaper("1000/s");
        shaper.suspend(path.site(), Duration.ofMinutes(5), "maintenance");
        shaper.tryOpenConnection(path).ifPresent(ConnectionPermit::close);
        assertFalse(shaper.tryAcquireMessage(path, 0));
        assertEquals(clock.instant().plus(Duration.ofMinutes(5)), shaper.nextOpportunity(path));
    }

    @Test
    void theCallWithoutDeliveriesUnderWayStillTakesATokenWhateverTheConnections() {
        Shaper shaper = shaper("1000/s");
        shaper.tryOpenConnection(path).orElseThrow();
        shaper.tryOpenConnection(path).orElseThrow();
        assertTrue(shaper.tryAcquireMessage(path), "callers of the 1.0 API keep its meaning");
    }
}
