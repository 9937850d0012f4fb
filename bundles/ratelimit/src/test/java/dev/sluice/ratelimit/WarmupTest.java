package dev.sluice.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.BodyType;
import dev.sluice.api.mail.ClientIdentity;
import dev.sluice.api.mail.DsnReturn;
import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.MailAddress;
import dev.sluice.api.mail.Recipient;
import dev.sluice.api.mail.ReversePath;
import dev.sluice.api.ratelimit.EgressSource;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WarmupTest {

    private static final String SITE = "gmail-smtp-in.l.google.com";
    private final TestClock clock = new TestClock("2026-11-23T10:00:00Z");

    private static SourceSpec source(String name, String pool, int weight, String warmup) {
        return SourceSpec.of(name, "192.0.2." + name.length(), name + ".mta.test", pool, weight, warmup, "2026-11-23");
    }

    private Shaper shaper() {
        Shaper shaper = Shapers.of(clock, Configs.rule("name", "google", "mxHosts", new String[] {"*.google.com"},
                "pool", "new"));
        shaper.sources().setSources(List.of(source("a", "new", 100, "3,6"), source("bb", "new", 1, "2"),
                source("ccc", "old", 1, "")));
        return shaper;
    }

    private Map<String, Integer> choose(Shaper shaper, String site, int times) {
        Map<String, Integer> chosen = new HashMap<>();
        for (int i = 0; i < times; i++) {
            chosen.merge(shaper.chooseSource(site, null).name(), 1, Integer::sum);
        }
        return chosen;
    }

    @Test
    void dailyBudgetsPerSiteThenOverflowToOtherSources() {
        Shaper shaper = shaper();
        assertEquals(Map.of("a", 3, "bb", 2, "ccc", 5), choose(shaper, SITE, 10), "day 1");
        assertEquals(Map.of("a", 3, "bb", 2), choose(shaper, "alt1.gmail-smtp-in.l.google.com", 5),
                "budgets are per site");
        clock.advance(Duration.ofDays(1));
        assertEquals(6, choose(shaper, SITE, 100).get("a"), "day 2: 6 from a; bb's schedule is over");
        clock.advance(Duration.ofDays(1));
        Map<String, Integer> day3 = choose(shaper, SITE, 1000);
        assertNull(day3.get("ccc"), "warm-up over: the pool carries everything");
        assertTrue(day3.get("a") > 900, "by weight 100:1 " + day3);
    }

    @Test
    void aSourceBeforeItsWarmupStartIsNotUsed() {
        Shaper shaper = shaper();
        clock.advance(Duration.ofDays(-1));
        assertEquals(Map.of("ccc", 4), choose(shaper, SITE, 4));
    }

    @Test
    void withoutSourcesTheDefaultSourceIsUsed() {
        Shaper shaper = Shapers.of(clock);
        EgressSource s = shaper.chooseSource(SITE, null);
        assertEquals("default", s.name());
        assertNull(s.bindAddress());
        assertEquals("mta.test", s.ehloName());
        ShaperComponent component = new ShaperComponent(Configs.of(ShaperComponent.Config.class,
                "defaultEhloName", "out.example.net", "defaultBindAddress", "127.0.0.1"), clock);
        assertEquals("out.example.net", component.chooseSource(SITE, null).ehloName());
        assertEquals("127.0.0.1", component.chooseSource(SITE, null).bindAddress().getHostAddress());
        component.deactivate();
    }

    static Envelope from(String sender) {
        return new Envelope(ReversePath.parse(sender), List.of(Recipient.of(MailAddress.parse("u@gmail.com"))),
                BodyType.SEVEN_BIT, false, 0, DsnReturn.UNSPECIFIED, null, ClientIdentity.local("test"),
                Instant.parse("2026-11-23T10:00:00Z"));
    }

    @Test
    void dedicatedSourcesCarryTheirSendersOnly() {
        Shaper shaper = Shapers.of(clock);
        shaper.sources().setSources(List.of(
                SourceSpec.of("tenant", "192.0.2.20", "mta.tenant.test", "default", 1, "2", "2026-11-23",
                        "tenant.example", "*.tenant.example"),
                source("shared", "default", 1, "")));
        assertEquals("tenant", shaper.chooseSource(SITE, from("news@mail.tenant.example")).name());
        assertEquals("tenant", shaper.chooseSource(SITE, from("a@tenant.example")).name());
        assertEquals("shared", shaper.chooseSource(SITE, from("a@tenant.example")).name(),
                "the dedicated source's warm-up budget is used: overflow to the shared ones");
        for (int i = 0; i < 20; i++) {
            assertEquals("shared", shaper.chooseSource(SITE, from("x@other.example")).name());
            assertEquals("shared", shaper.chooseSource(SITE, from("")).name(), "null sender");
        }
    }
}
