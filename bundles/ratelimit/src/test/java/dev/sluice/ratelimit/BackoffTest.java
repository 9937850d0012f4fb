package dev.sluice.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.Reply;
import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.ratelimit.PathStatus;
import dev.sluice.api.ratelimit.Suspension;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Reply TOO_MANY = Reply.of(421, "4.7.0", "Too many connections from your IP, try later");
    private final TestClock clock = new TestClock("2026-11-23T10:00:00Z");
    private final PathKey path = new PathKey("mx.example.com", "ip1");
    private final Shaper shaper = Shapers.of(clock, Configs.rule("name", "example", "sites", new String[] {"*"},
            "maxConnections", 10, "messageRate", "100/s", "connectionRate", "1000/s"));

    private void assertLimits(int connections, long messagesPerSecond) {
        assertEquals(connections, shaper.limits(path).maxConnections(), "connections at " + clock.instant());
        assertEquals(messagesPerSecond, shaper.limits(path).messageRate().permits(), "rate at " + clock.instant());
    }

    @Test
    void tooManyConnectionsThrottlesVisiblyThenRecoversGradually() {
        Instant t0 = clock.instant();
        shaper.onReply(path, TOO_MANY);
        assertTrue(shaper.suspension(path).isEmpty(), "one reply is below the threshold");
        shaper.onReply(path, Reply.of(250, "2.0.0", "ok"));
        clock.advance(Duration.ofSeconds(30));
        shaper.onReply(path, TOO_MANY);

        Suspension s = shaper.suspension(path).orElseThrow();
        assertEquals("too-many-connections", s.rule());
        assertEquals(TOO_MANY, s.trigger());
        assertEquals(t0.plusSeconds(30), s.since());
        // 10 min hold, then 5 steps of 5 min (+1 connection, +10/s each) to get from 5 and 50/s back to 10 and 100/s
        assertEquals(t0.plusSeconds(30).plus(Duration.ofMinutes(10 + 4 * 5)), s.until());
        assertEquals("throttle to 5 connections, 50/s", s.action());
        PathStatus status = shaper.status().stream().filter(p -> p.path().equals(path)).findFirst().orElseThrow();
        assertEquals(s, status.suspension());
        assertEquals(2, status.recentDeferralsPerMinute());
        assertLimits(5, 50);
        for (int i = 0; i < 5; i++) {
            shaper.tryOpenConnection(path).orElseThrow();
        }
        assertTrue(shaper.tryOpenConnection(path).isEmpty(), "throttled to 5 connections");

        clock.advance(Duration.ofMinutes(10));
        assertLimits(6, 60);
        assertTrue(shaper.suspension(path).orElseThrow().action().startsWith("recovering at 6 connections"));
        clock.advance(Duration.ofMinutes(5));
        assertLimits(7, 70);
        clock.advance(Duration.ofMinutes(15));
        assertLimits(10, 100);
        assertTrue(shaper.suspension(path).isEmpty(), "expired by itself");
    }

    @Test
    void repeatedComplaintsHalveAgain() {
        shaper.onReply(path, TOO_MANY);
        shaper.onReply(path, TOO_MANY);
        assertLimits(5, 50);
        shaper.onReply(path, TOO_MANY);
        shaper.onReply(path, TOO_MANY);
        assertLimits(2, 25);
    }

    @Test
    void matchesOutsideTheTriggerWindowDoNotAddUp() {
        shaper.onReply(path, TOO_MANY);
        clock.advance(Duration.ofMinutes(6));
        shaper.onReply(path, TOO_MANY);
        assertTrue(shaper.suspension(path).isEmpty());
        assertLimits(10, 100);
    }

    @Test
    void operatorResumeCancelsAnAutomaticThrottle() {
        shaper.onReply(path, TOO_MANY);
        shaper.onReply(path, TOO_MANY);
        assertLimits(5, 50);
        assertTrue(shaper.resume("mx.example.com"));
        assertLimits(10, 100);
        assertTrue(shaper.suspension(path).isEmpty());
        assertFalse(shaper.resume("mx.example.com"), "nothing left to resume");
    }

    @Test
    void yahooDeferralSuspendsUntilItExpires() {
        Reply yahoo = Reply.of(421, "4.7.0", "[TSS04] Messages from 192.0.2.1 temporarily deferred due to "
                + "unexpected volume or user complaints");
        shaper.onReply(path, yahoo);
        shaper.onReply(path, yahoo);
        Suspension s = shaper.suspension(path).orElseThrow();
        assertEquals("yahoo-deferral", s.rule(), "suspend wins over the generic throttle");
        assertEquals("suspend", s.action());
        Instant until = clock.instant().plus(Duration.ofMinutes(30));
        assertEquals(until, s.until());
        assertTrue(shaper.tryOpenConnection(path).isEmpty());
        assertFalse(shaper.tryAcquireMessage(path));
        assertEquals(until, shaper.nextOpportunity(path));
        clock.set(until);
        assertTrue(shaper.suspension(path).isEmpty());
        assertTrue(shaper.tryOpenConnection(path).isPresent());
    }

    @Test
    void aConfiguredRuleWinsOverTheBuiltInsOnTheSameReply() {
        BackoffRule mine = BackoffRule.of("example-busy", "too many connections", "throttle", 2, 5, 60, 5, 1, 10);
        shaper.backoff().setRules(java.util.List.of(mine), BackoffRule.builtins());
        shaper.onReply(path, TOO_MANY);
        shaper.onReply(path, TOO_MANY);
        Suspension s = shaper.suspension(path).orElseThrow();
        assertEquals("example-busy", s.rule(), "not the built-in too-many-connections that fired on the same reply");
        assertEquals(clock.instant().plus(Duration.ofMinutes(60 + 4 * 5)), s.until(), "the configured hold");
    }

    @Test
    void providerCodesMatchWithoutTheGenericText() {
        shaper.onReply(path, Reply.of(421, "4.7.28", "Our system has detected an unusual rate of unsolicited mail"));
        shaper.onReply(path, Reply.of(421, "4.7.28", "Our system has detected an unusual rate of unsolicited mail"));
        assertEquals("gmail-rate", shaper.suspension(path).orElseThrow().rule());
        PathKey other = new PathKey("mx.other.net", "ip1");
        shaper.onReply(other, Reply.of(451, "4.7.650", "The mail server [192.0.2.1] has been temporarily rate limited"));
        shaper.onReply(other, Reply.of(451, "4.7.650", "The mail server [192.0.2.1] has been temporarily rate limited"));
        assertTrue(shaper.suspension(other).isPresent());
        PathKey third = new PathKey("mx.third.net", "ip1");
        shaper.onReply(third, Reply.of(450, "4.1.1", "mailbox busy"));
        shaper.onReply(third, Reply.of(450, "4.1.1", "mailbox busy"));
        assertTrue(shaper.suspension(third).isEmpty(), "an unrelated deferral changes nothing");
        PathKey dead = new PathKey("mx.dead.example", "ip1");
        for (int i = 0; i < 5; i++) {
            assertTrue(shaper.suspension(dead).isEmpty(), "failure " + i);
            shaper.onReply(dead, Reply.of(421, "4.4.1", "connection to 192.0.2.99 timed out"));
        }
        assertEquals("unreachable", shaper.suspension(dead).orElseThrow().rule());
    }

    @Test
    void operatorSuspensionCoversEverySourceUntilResumed() {
        Suspension s = shaper.suspend("mx.example.com", Duration.ofHours(1), "receiver maintenance");
        assertEquals(new PathKey("mx.example.com", "*"), shaper.status().get(0).path(), "shown before any traffic");
        assertEquals("operator", s.rule());
        assertNull(s.trigger());
        assertEquals("suspend: receiver maintenance", s.action());
        PathKey ip2 = new PathKey("mx.example.com", "ip2");
        assertTrue(shaper.tryOpenConnection(ip2).isEmpty());
        assertEquals(clock.instant().plus(Duration.ofHours(1)), shaper.nextOpportunity(path));
        assertEquals("operator", shaper.suspension(path).orElseThrow().rule());
        assertEquals(2, shaper.status().stream().filter(p -> "operator".equals(p.suspension().rule())).count(),
                "both paths to the site, and no separate site-wide line");
        assertTrue(shaper.resume("mx.example.com"));
        assertTrue(shaper.tryOpenConnection(ip2).isPresent());
    }

    @Test
    void aRuleScopedToAProviderIgnoresOtherSites() {
        Backoff scoped = new Backoff(java.util.List.of(BackoffRule.of("yahoo-only", "busy", "suspend", 1, 5, 10, 5, 1,
                10, "*.yahoodns.net")), java.util.List.of());
        Shaper s = new Shaper(clock, new LocalRateGate(), new RuleBook(java.util.List.of(), Shapers.fallback()),
                new SourceSelector(new dev.sluice.api.ratelimit.EgressSource("d", null, "mta.test"),
                        java.util.Random::new), scoped);
        PathKey yahoo = new PathKey("mta5.am0.yahoodns.net+mta6.am0.yahoodns.net", "ip1");
        s.onReply(path, Reply.of(451, "4.7.1", "busy"));
        assertTrue(s.suspension(path).isEmpty(), "not a Yahoo site");
        s.onReply(yahoo, Reply.of(451, "4.7.1", "busy"));
        assertEquals("yahoo-only", s.suspension(yahoo).orElseThrow().rule());
    }
}
