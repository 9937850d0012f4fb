package dev.sluice.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.ratelimit.ConnectionPermit;
import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.ratelimit.PathLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ShaperTest {

    private final TestClock clock = new TestClock("2026-11-23T10:00:00Z");
    private final PathKey path = new PathKey("mx.example.com", "default");

    @Test
    void concurrencyNeverExceedsMaxConnectionsUnderManyThreads() throws Exception {
        Shaper shaper = Shapers.of(clock, Configs.rule("name", "five", "sites", new String[] {"*"},
                "maxConnections", 5, "connectionRate", "1000000/s"));
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        AtomicInteger granted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 2000; i++) {
                        Optional<ConnectionPermit> p = shaper.tryOpenConnection(path);
                        if (p.isPresent()) {
                            granted.incrementAndGet();
                            max.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                            Thread.yield();
                            inFlight.decrementAndGet();
                            p.get().close();
                            p.get().close(); // twice: harmless
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(max.get() <= 5, "max in flight " + max.get());
        assertTrue(granted.get() > 100, "granted " + granted.get());
        for (int i = 0; i < 5; i++) {
            assertTrue(shaper.tryOpenConnection(path).isPresent(), "every slot was given back: " + i);
        }
        assertTrue(shaper.tryOpenConnection(path).isEmpty());
    }

    @Test
    void closingAPermitTwiceFreesOneSlot() {
        Shaper shaper = Shapers.of(clock, Configs.rule("name", "two", "sites", new String[] {"*"},
                "maxConnections", 2, "connectionRate", "1000/s"));
        ConnectionPermit a = shaper.tryOpenConnection(path).orElseThrow();
        shaper.tryOpenConnection(path).orElseThrow();
        assertTrue(shaper.tryOpenConnection(path).isEmpty());
        a.close();
        a.close();
        assertEquals(path, a.path());
        assertTrue(shaper.tryOpenConnection(path).isPresent());
        assertTrue(shaper.tryOpenConnection(path).isEmpty(), "the second close freed nothing");
        assertEquals(2, shaper.status().get(0).openConnections());
    }

    @Test
    void limitsReportTheRule() {
        Shaper shaper = Shapers.of(clock, Configs.rule("name", "r", "sites", new String[] {"*"}, "maxConnections", 7,
                "maxMessagesPerConnection", 50, "maxRecipientsPerTransaction", 25, "messageRate", "6000/h"));
        PathLimits l = shaper.limits(path);
        assertEquals(7, l.maxConnections());
        assertEquals(50, l.maxMessagesPerConnection());
        assertEquals(25, l.maxRecipientsPerTransaction());
        assertEquals("6000/h", l.messageRate().toString());
    }

    @Test
    void connectionRateRefusesAndSaysWhenToAskAgain() {
        Shaper shaper = Shapers.of(clock, Configs.rule("name", "r", "sites", new String[] {"*"},
                "connectionRate", "60/min"));
        assertTrue(shaper.tryOpenConnection(path).isPresent());
        Optional<ConnectionPermit> refused = shaper.tryOpenConnection(path);
        assertTrue(refused.isEmpty(), "second connection within the same second");
        assertEquals(clock.instant(), shaper.nextOpportunity(path), "a connection is open: messages may go now");
        clock.advance(Duration.ofSeconds(1));
        assertTrue(shaper.tryOpenConnection(path).isPresent());
    }

    @Test
    void messageRateRefusesAndNextOpportunityPointsAtTheNextToken() {
        Shaper shaper = Shapers.of(clock, Configs.rule("name", "r", "sites", new String[] {"*"},
                "messageRate", "10/s"));
        for (int i = 0; i < 10; i++) {
            assertTrue(shaper.tryAcquireMessage(path), "burst " + i);
        }
        assertFalse(shaper.tryAcquireMessage(path));
        assertEquals(clock.instant().plusMillis(100), shaper.nextOpportunity(path));
        assertEquals(10, shaper.status().get(0).recentMessagesPerMinute());
    }

    @Test
    void sendingWindowRefusesOutsideAndPointsAtTheStart() {
        Shaper shaper = Shapers.of(clock, Configs.rule("name", "office", "sites", new String[] {"*"},
                "windowStart", "08:00", "windowEnd", "20:00", "windowTimeZone", "Europe/Berlin"));
        clock.set(Instant.parse("2026-11-23T06:30:00Z")); // 07:30 in Berlin
        assertTrue(shaper.tryOpenConnection(path).isEmpty());
        assertFalse(shaper.tryAcquireMessage(path));
        assertEquals(Instant.parse("2026-11-23T07:00:00Z"), shaper.nextOpportunity(path));
        clock.set(Instant.parse("2026-11-23T07:00:00Z"));
        assertTrue(shaper.tryOpenConnection(path).isPresent());
        assertTrue(shaper.tryAcquireMessage(path));
        clock.set(Instant.parse("2026-11-23T19:00:00Z")); // 20:00 in Berlin: closed until tomorrow
        assertFalse(shaper.tryAcquireMessage(path));
        assertEquals(Instant.parse("2026-11-24T07:00:00Z"), shaper.nextOpportunity(path));
    }

    @Test
    void windowAcrossMidnight() {
        SendingWindow w = SendingWindow.parse("22:00", "06:00", "UTC");
        assertTrue(w.isOpen(Instant.parse("2026-11-23T23:00:00Z")));
        assertTrue(w.isOpen(Instant.parse("2026-11-23T05:59:00Z")));
        assertFalse(w.isOpen(Instant.parse("2026-11-23T12:00:00Z")));
        assertEquals(Instant.parse("2026-11-23T22:00:00Z"), w.nextOpen(Instant.parse("2026-11-23T12:00:00Z")));
    }
}
