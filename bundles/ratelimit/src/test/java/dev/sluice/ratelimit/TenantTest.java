package dev.sluice.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.HeaderField;
import dev.sluice.api.ratelimit.ConnectionPermit;
import dev.sluice.api.ratelimit.EgressSource;
import dev.sluice.api.ratelimit.PathKey;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tenant (or campaign) keys: where they come from, and tenant rules on top of the path's own limits. */
class TenantTest {

    private static final String GMAIL = "alt1.gmail-smtp-in.l.google.com+gmail-smtp-in.l.google.com";
    private static final EgressSource IP1 = new EgressSource("ip1", null, "mta1.test");
    private final TestClock clock = new TestClock("2026-11-23T10:00:00Z");

    private Shaper shaper(String[] keys, TenantRule... rules) {
        Shaper shaper = Shapers.of(clock, Configs.rule("name", "google", "mxHosts", new String[] {"*.google.com"},
                "messageRate", "100/s", "maxConnections", 10, "connectionRate", "1000/s"));
        shaper.setTenantKeys(TenantKeys.parse(keys));
        shaper.setTenants(new TenantBook(List.of(rules), null));
        return shaper;
    }

    static TenantRule tenantRule(Object... keyValues) {
        return TenantComponent.from(Configs.of(TenantComponent.Config.class, keyValues));
    }

    private static PathKey path(String source, String tenant) {
        return new PathKey(GMAIL, source, tenant);
    }

    /** How many messages the path takes now, at most {@code max}. */
    private static int takeAll(Shaper shaper, PathKey path, int max) {
        int n = 0;
        while (n < max && shaper.tryAcquireMessage(path)) {
            n++;
        }
        return n;
    }

    @Test
    void theKeyComesFromTheFirstConfiguredSourceThatHasOne() {
        Shaper shaper = shaper(new String[] {"header:X-Tenant", "senderDomain"});
        assertEquals(Set.of("x-tenant"), shaper.tenantHeaders());
        assertEquals(path("ip1", "acme_corp"), shaper.path(GMAIL, IP1, WarmupTest.from("a@news.acme.example"),
                List.of(new HeaderField("Subject", "hi"), new HeaderField("x-tenant", " ACME Corp "))));
        assertEquals(path("ip1", "news.acme.example"), shaper.path(GMAIL, IP1,
                WarmupTest.from("a@News.Acme.example"), List.of()), "no header: the sender's domain");
        assertNull(shaper.path(GMAIL, IP1, WarmupTest.from(""), List.of()).tenant(), "null sender, no header");
        assertEquals(TenantKeys.MAX_LENGTH, shaper.path(GMAIL, IP1, null,
                List.of(new HeaderField("X-Tenant", "x".repeat(500)))).tenant().length(), "a key is bounded");

        Shaper none = shaper(new String[0]);
        assertEquals(Set.of(), none.tenantHeaders(), "no header is read when no key comes from one");
        assertEquals(new PathKey(GMAIL, "ip1"), none.path(GMAIL, IP1, WarmupTest.from("a@acme.example"), List.of()));
    }

    @Test
    void aTenantRuleLimitsThatTenantToTheSiteFromEverySourceWithinThePathsLimit() {
        Shaper shaper = shaper(new String[] {"header:X-Tenant"}, tenantRule("name", "acme-gmail",
                "tenants", new String[] {"acme"}, "mxHosts", new String[] {"*.google.com"}, "messageRate", "5/s"));
        int acme = 0;
        int other = 0;
        for (int tick = 0; tick <= 1000; tick++) { // 10 seconds, every 10 ms
            acme += takeAll(shaper, path("ip1", "acme"), 1000) + takeAll(shaper, path("ip2", "acme"), 1000);
            other += takeAll(shaper, path("ip1", "bob"), 1000);
            clock.advance(Duration.ofMillis(10));
        }
        assertEquals(5 + 5 * 10, acme, "acme: a burst of 5, then 5/s, from both sources together");
        assertTrue(Math.abs(other - (100 + 100 * 10 - acme)) <= 10, "bob has the rest of ip1's 100/s: " + other);
    }

    @Test
    void aTenantTokenIsNotSpentWhenThePathHasNone() {
        Shaper shaper = shaper(new String[] {"header:X-Tenant"}, tenantRule("name", "acme",
                "tenants", new String[] {"acme"}, "sites", new String[] {"*"}, "messageRate", "5/s"));
        assertEquals(100, takeAll(shaper, path("ip1", "bob"), 1000), "bob empties the path");
        for (int i = 0; i < 50; i++) {
            assertFalse(shaper.tryAcquireMessage(path("ip1", "acme")));
        }
        assertEquals(clock.instant().plusMillis(10), shaper.nextOpportunity(path("ip1", "acme")),
                "the path's next token, acme has its own");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(5, takeAll(shaper, path("ip1", "acme"), 1000), "acme's whole burst is still there");
    }

    @Test
    void theMostSpecificRuleWinsAndEachTenantHasItsOwnBudget() {
        Shaper shaper = shaper(new String[] {"senderDomain"},
                tenantRule("name", "everyone", "tenants", new String[] {"*"}, "sites", new String[] {"*"},
                        "messageRate", "2/s"),
                tenantRule("name", "acme-gmail", "tenants", new String[] {"acme.example"},
                        "mxHosts", new String[] {"*.google.com"}, "messageRate", "5/s"),
                tenantRule("name", "acme-any", "tenants", new String[] {"acme.example"}, "sites", new String[] {"*"},
                        "messageRate", "3/s"));
        assertEquals(5, takeAll(shaper, path("ip1", "acme.example"), 100), "acme to gmail: its own rule");
        assertEquals(3, takeAll(shaper, new PathKey("mx.other.example", "ip1", "acme.example"), 100),
                "acme elsewhere: the tenant pattern ranks before the site's");
        assertEquals(2, takeAll(shaper, path("ip1", "bob.example"), 100), "any other tenant: 2/s");
        assertEquals(2, takeAll(shaper, path("ip1", "carol.example"), 100), "each in its own bucket");
        assertEquals(100 - 5 - 2 - 2, takeAll(shaper, new PathKey(GMAIL, "ip1"), 1000),
                "a message without a key has only the path's limit");
    }

    @Test
    void theDefaultTenantRateAppliesWhereNoRuleMatches() {
        ShaperComponent component = new ShaperComponent(Configs.of(ShaperComponent.Config.class,
                "tenantKeys", new String[] {"header:X-Campaign"}, "defaultTenantMessageRate", "3/s"), clock);
        try {
            PathKey spring = component.path(GMAIL, IP1, null, List.of(new HeaderField("X-Campaign", "spring")));
            assertEquals("spring", spring.tenant());
            assertEquals(3, takeAll(component, spring, 100));
            assertEquals(clock.instant().plusMillis(333).plusNanos(333_000), component.nextOpportunity(spring));
            component.addTenant(new TenantComponent(Configs.of(TenantComponent.Config.class, "name", "spring",
                    "tenants", new String[] {"spring"}, "sites", new String[] {"*"}, "messageRate", "10/s")));
            clock.advance(Duration.ofSeconds(1));
            assertEquals(10, takeAll(component, spring, 100), "a rule replaces the default for its tenants");
        } finally {
            component.deactivate();
        }
    }

    @Test
    void badTenantSettingsNameTheirKey() {
        RuleMatchingTest.assertMessage("tenantKeys: 'X-Tenant' is neither header:FIELD-NAME (e.g. header:X-Tenant) "
                + "nor senderDomain", () -> new ShaperComponent(Configs.of(ShaperComponent.Config.class,
                "tenantKeys", new String[] {"X-Tenant"}), clock));
        RuleMatchingTest.assertMessage("defaultTenantMessageRate: rate 'lots' is not COUNT/UNIT (e.g. 100/s, 6000/h)",
                () -> new ShaperComponent(Configs.of(ShaperComponent.Config.class,
                        "defaultTenantMessageRate", "lots"), clock));
        RuleMatchingTest.assertMessage("tenants: tenant rule 't' names no tenant (e.g. acme, *.example.com or *)",
                () -> tenantRule("name", "t", "sites", new String[] {"*"}));
        RuleMatchingTest.assertMessage("sites: tenant rule 't' matches no site (give sites or mxHosts; * for every "
                + "site)", () -> tenantRule("name", "t", "tenants", new String[] {"acme"}));
        RuleMatchingTest.assertMessage("messageRate: rate '5' is not COUNT/UNIT (e.g. 100/s, 6000/h)",
                () -> tenantRule("name", "t", "tenants", new String[] {"acme"}, "sites", new String[] {"*"},
                        "messageRate", "5"));
    }

    @Test
    void connectionsAndLimitsOfATenantsPathAreThoseOfItsEgressPath() {
        Shaper shaper = shaper(new String[] {"header:X-Tenant"});
        ConnectionPermit a = shaper.tryOpenConnection(path("ip1", "acme")).orElseThrow();
        ConnectionPermit b = shaper.tryOpenConnection(path("ip1", "bob")).orElseThrow();
        assertEquals(new PathKey(GMAIL, "ip1"), a.path(), "one connection serves every tenant");
        assertEquals(1, shaper.status().size());
        assertEquals(2, shaper.status().get(0).openConnections());
        assertEquals(shaper.limits(new PathKey(GMAIL, "ip1")), shaper.limits(path("ip1", "acme")));
        a.close();
        b.close();
    }
}
