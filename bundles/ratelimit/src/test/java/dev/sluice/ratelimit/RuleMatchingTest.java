package dev.sluice.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RuleMatchingTest {

    private static final String GMAIL_SITE = "alt1.gmail-smtp-in.l.google.com+gmail-smtp-in.l.google.com";

    private final ShapingRule any = Configs.rule("name", "any", "sites", new String[] {"*"}, "maxConnections", 10);
    private final ShapingRule wild = Configs.rule("name", "wild", "sites", new String[] {"*.example.com"},
            "maxConnections", 5);
    private final ShapingRule deeper = Configs.rule("name", "deeper", "sites", new String[] {"*.eu.example.com"},
            "maxConnections", 4);
    private final ShapingRule exact = Configs.rule("name", "exact", "sites", new String[] {"mx.example.com"},
            "maxConnections", 3);
    private final ShapingRule google = Configs.rule("name", "google", "mxHosts", new String[] {"*.google.com"},
            "maxConnections", 8);
    private final ShapingRule fromIp1 = Configs.rule("name", "from-ip1", "sites", new String[] {"*.example.com"},
            "source", "ip1", "maxConnections", 2);
    private final RuleBook book = new RuleBook(List.of(any, wild, deeper, exact, google, fromIp1), Shapers.fallback());

    private String winner(String site, String source) {
        return book.resolve(site, source).name();
    }

    @Test
    void mostSpecificSitePatternWins() {
        assertEquals("exact", winner("mx.example.com", "ip0"));
        assertEquals("exact", winner("MX.Example.COM.", "ip0"), "case and the root dot do not matter");
        assertEquals("deeper", winner("mx.eu.example.com", "ip0"));
        assertEquals("wild", winner("mx2.example.com", "ip0"));
        assertEquals("any", winner("example.com", "ip0"), "*.example.com is below example.com, not example.com");
        assertEquals("any", winner("mx.other.org", "ip0"));
    }

    @Test
    void mxHostPatternsGroupAProvidersSites() {
        assertEquals("google", winner(GMAIL_SITE, "ip0"));
        assertEquals("google", winner("aspmx.l.google.com", "ip0"));
        assertEquals("any", winner("google.com.evil.org", "ip0"));
    }

    @Test
    void aPinnedSourceBreaksTiesOnly() {
        assertEquals("from-ip1", winner("mx2.example.com", "ip1"));
        assertEquals("wild", winner("mx2.example.com", "ip2"));
        assertEquals("exact", winner("mx.example.com", "ip1"), "an exact site beats a source pin on a wildcard");
    }

    @Test
    void theBuiltInDefaultAppliesWhenNothingMatches() {
        RuleBook only = new RuleBook(List.of(wild), Shapers.fallback());
        ShapingRule r = only.resolve("mx.other.org", "ip0");
        assertEquals("default", r.name());
        assertEquals(20, r.limits().maxConnections());
        assertEquals(100, r.limits().maxRecipientsPerTransaction());
    }

    @Test
    void badValuesNameTheKey() {
        assertMessage("messageRate: rate 'x/s' has no whole number before '/'",
                () -> Configs.rule("name", "r", "sites", new String[] {"*"}, "messageRate", "x/s"));
        assertMessage("connectionRate: rate '5/fortnight' has an unknown unit (use s, min, h or d)",
                () -> Configs.rule("name", "r", "sites", new String[] {"*"}, "connectionRate", "5/fortnight"));
        assertMessage("maxConnections: must be 1 to 1000000, was 0",
                () -> Configs.rule("name", "r", "sites", new String[] {"*"}, "maxConnections", 0));
        assertMessage("sites: pattern 'mx*.example.com' may only start with '*.'",
                () -> Configs.rule("name", "r", "sites", new String[] {"mx*.example.com"}));
        assertMessage("sites: rule 'r' matches nothing (give sites or mxHosts)", () -> Configs.rule("name", "r"));
        assertMessage("windowStart: '25:00' is not a time HH:mm",
                () -> Configs.rule("name", "r", "sites", new String[] {"*"}, "windowStart", "25:00", "windowEnd", "06:00"));
        assertMessage("windowTimeZone: unknown time zone 'Mars/Olympus'", () -> Configs.rule("name", "r", "sites",
                new String[] {"*"}, "windowStart", "08:00", "windowEnd", "18:00", "windowTimeZone", "Mars/Olympus"));
        assertMessage("defaultMessageRate: rate 'lots' is not COUNT/UNIT (e.g. 100/s, 6000/h)",
                () -> ShaperSetup.fallbackRule(Configs.of(ShaperComponent.Config.class, "defaultMessageRate", "lots")));
    }

    static void assertMessage(String expected, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertEquals(expected, e.getMessage());
    }
}
