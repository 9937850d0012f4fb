package dev.sluice.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.ratelimit.PathKey;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sending windows of sources: a sender's (dedicated source's) hours, and a shared source used only in its hours. */
class SourceWindowTest {

    private static final String SITE = "mx.example.com";
    private final TestClock clock = new TestClock("2026-11-23T06:30:00Z"); // 07:30 in Berlin

    private static SourceSpec source(String name, String window, String... senderDomains) {
        SourceSpec s = SourceSpec.of(name, "", name + ".mta.test", "default", 1, "", "", senderDomains);
        if (window.isEmpty()) {
            return s;
        }
        String[] hours = window.split("-");
        return s.withWindow(SendingWindow.parse(hours[0], hours[1], "Europe/Berlin"));
    }

    @Test
    void aSendersWindowHoldsItsMailUntilItOpensWithoutOverflowingToOtherSources() {
        Shaper shaper = Shapers.of(clock);
        shaper.sources().setSources(List.of(source("news", "08:00-20:00", "news.example"), source("bulk", "")));
        assertEquals("news", shaper.chooseSource(SITE, WarmupTest.from("a@news.example")).name(),
                "closed now, but the sender's mail waits for its own source");
        PathKey news = new PathKey(SITE, "news");
        assertFalse(shaper.tryAcquireMessage(news));
        assertTrue(shaper.tryOpenConnection(news).isEmpty());
        assertEquals(Instant.parse("2026-11-23T07:00:00Z"), shaper.nextOpportunity(news), "08:00 in Berlin");
        PathKey bulk = new PathKey(SITE, "bulk");
        assertEquals("bulk", shaper.chooseSource(SITE, WarmupTest.from("a@other.example")).name());
        assertTrue(shaper.tryAcquireMessage(bulk), "other senders are not held");

        clock.set(Instant.parse("2026-11-23T07:00:00Z"));
        assertTrue(shaper.tryAcquireMessage(news));
        clock.set(Instant.parse("2026-11-23T19:00:00Z")); // 20:00 in Berlin: closed until tomorrow
        assertFalse(shaper.tryAcquireMessage(news));
        assertEquals(Instant.parse("2026-11-24T07:00:00Z"), shaper.nextOpportunity(news));
    }

    @Test
    void aSharedSourceOutsideItsWindowLeavesTheWorkToTheOpenOnesOfItsPool() {
        Shaper shaper = Shapers.of(clock);
        shaper.sources().setSources(List.of(source("day", "08:00-20:00"), source("night", "20:00-08:00")));
        for (int i = 0; i < 20; i++) {
            assertEquals("night", shaper.chooseSource(SITE, null).name(), "07:30: only night is open");
        }
        clock.set(Instant.parse("2026-11-23T10:00:00Z"));
        for (int i = 0; i < 20; i++) {
            assertEquals("day", shaper.chooseSource(SITE, null).name());
        }
    }

    @Test
    void ruleAndSourceWindowsMustBothBeOpen() {
        Shaper shaper = Shapers.of(clock, Configs.rule("name", "office", "sites", new String[] {"*"},
                "windowStart", "08:00", "windowEnd", "20:00", "windowTimeZone", "Europe/Berlin"));
        shaper.sources().setSources(List.of(source("evening", "18:00-23:00")));
        PathKey path = new PathKey(SITE, "evening");
        assertFalse(shaper.tryAcquireMessage(path));
        assertEquals(Instant.parse("2026-11-23T17:00:00Z"), shaper.nextOpportunity(path), "18:00 in Berlin");
        clock.set(Instant.parse("2026-11-23T17:00:00Z"));
        assertTrue(shaper.tryAcquireMessage(path));
        clock.set(Instant.parse("2026-11-23T19:00:00Z")); // 20:00: the rule's window closed, the source's is open
        assertFalse(shaper.tryAcquireMessage(path));
        assertEquals(Instant.parse("2026-11-24T17:00:00Z"), shaper.nextOpportunity(path));
    }

    @Test
    void windowsThatNeverMeetKeepThePathWaitingWithoutFailing() {
        SendingWindow morning = SendingWindow.parse("08:00", "10:00", "UTC");
        SendingWindow evening = SendingWindow.parse("18:00", "20:00", "UTC");
        Instant t = SendingWindow.nextOpenInBoth(morning, evening, clock.instant());
        assertFalse(morning.isOpen(t) && evening.isOpen(t));
        assertTrue(t.isAfter(clock.instant()));
    }

    @Test
    void badWindowValuesNameTheKey() {
        RuleMatchingTest.assertMessage("windowEnd: '' is not a time HH:mm", () -> new SourceComponent(Configs.of(
                SourceComponent.Config.class, "name", "news", "ehloName", "news.mta.test", "windowStart", "08:00")));
    }
}
