package dev.sluice.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.ratelimit.Rate;
import dev.sluice.api.ratelimit.TenantBudgetStatus;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** What operators see of tenant budgets: rule, rate, room and next message, and that only recent ones are kept. */
class TenantStatusTest {

    private static final String GMAIL = "alt1.gmail-smtp-in.l.google.com+gmail-smtp-in.l.google.com";
    private static final TenantRule ACME = TenantTest.tenantRule("name", "acme-gmail", "tenants", new String[] {"acme"},
            "mxHosts", new String[] {"*.google.com"}, "messageRate", "5/s");
    private static final TenantRule DEFAULT = TenantRule.fallback(Rate.parse("2/s"));
    private final TestClock clock = new TestClock("2026-11-23T10:00:00Z");

    private Shaper shaper(RateGate gate, TenantBook book) {
        Shaper shaper = Shapers.of(clock, gate, Configs.rule("name", "google", "mxHosts", new String[] {"*.google.com"},
                "messageRate", "100/s", "maxConnections", 10, "connectionRate", "1000/s"));
        shaper.setTenants(book);
        return shaper;
    }

    private Shaper shaper() {
        return shaper(new LocalRateGate(), new TenantBook(List.of(ACME), DEFAULT));
    }

    private static PathKey path(String tenant) {
        return new PathKey(GMAIL, "ip1", tenant);
    }

    private static void take(Shaper shaper, PathKey path, int n) {
        for (int i = 0; i < n; i++) {
            assertTrue(shaper.tryAcquireMessage(path), "message " + i + " of " + path);
        }
    }

    @Test
    void aUsedBudgetShowsItsRuleRateRoomAndNextMessage() {
        Shaper shaper = shaper();
        take(shaper, path("acme"), 3);
        Instant acmeUsed = clock.instant();
        clock.advance(Duration.ofMillis(1));
        take(shaper, path("bob"), 1);
        assertEquals(List.of(
                new TenantBudgetStatus("bob", GMAIL, null, Rate.parse("2/s"), 2, 1, clock.instant(), clock.instant(),
                        false),
                new TenantBudgetStatus("acme", GMAIL, "acme-gmail", Rate.parse("5/s"), 5, 2, clock.instant(), acmeUsed,
                        false)), shaper.tenantBudgets(), "most recent first; bob has the default rate (no rule name)");

        take(shaper, path("acme"), 2);
        assertFalse(shaper.tryAcquireMessage(path("acme")));
        TenantBudgetStatus acme = shaper.tenantBudgets().get(0);
        assertEquals(0, acme.available());
        assertEquals(clock.instant().plusMillis(200 - 1), acme.nextMessage(),
                "a token every 200 ms, the first of the five came a millisecond ago");
        assertEquals(clock.instant(), acme.lastUsed(), "a refused message counts as a use");
    }

    @Test
    void noBudgetWithoutATenantOrARuleForIt() {
        Shaper shaper = shaper(new LocalRateGate(), new TenantBook(List.of(ACME), null));
        take(shaper, new PathKey(GMAIL, "ip1"), 3);
        take(shaper, path("carol"), 3);
        take(shaper, new PathKey("mx.other.example", "ip1", "acme"), 1);
        assertEquals(List.of(), shaper.tenantBudgets(), "no key, no rule for carol, none for acme elsewhere");
    }

    @Test
    void budgetsAreForgottenAWhileAfterTheirLastUse() {
        Shaper shaper = shaper();
        take(shaper, path("acme"), 1);
        clock.advance(TenantBudgets.RECENT.minusSeconds(1));
        shaper.nextOpportunity(path("bob")); // asking counts as using, without a token
        assertEquals(List.of("bob", "acme"), tenants(shaper));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of("bob"), tenants(shaper));
        assertEquals(2, shaper.tenantBudgets().get(0).burst(), "bob's default rate of 2/s");
        clock.advance(TenantBudgets.RECENT);
        assertEquals(List.of(), tenants(shaper));
    }

    @Test
    void memoryIsBoundedAndTheListingTooByRecentUse() {
        TenantBudgets budgets = new TenantBudgets();
        budgets.setBook(new TenantBook(List.of(), DEFAULT));
        for (int i = 0; i < TenantBudgets.MAX_TRACKED + 5; i++) {
            budgets.bucket(path("t" + i), clock.instant());
            clock.advance(Duration.ofNanos(1000));
        }
        assertEquals(TenantBudgets.MAX_TRACKED, budgets.tracked(), "a flood of keys stops at the cap");
        List<TenantBudgetStatus> listed = budgets.status(new LocalRateGate(), clock.instant());
        assertEquals(TenantBudgets.MAX_LISTED, listed.size());
        assertEquals("t" + (TenantBudgets.MAX_TRACKED - 1), listed.get(0).tenant(), "the newest first");
        budgets.bucket(path("refused"), clock.instant());
        clock.advance(TenantBudgets.RECENT);
        budgets.bucket(path("late"), clock.instant());
        assertEquals(1, budgets.tracked(), "a new budget made room by forgetting the expired ones");
        assertEquals(List.of("late"), budgets.status(new LocalRateGate(), clock.instant()).stream()
                .map(TenantBudgetStatus::tenant).toList());
    }

    @Test
    void aChangedRuleShowsAtOnceAndARemovedOneTakesTheBudgetAway() {
        Shaper shaper = shaper();
        take(shaper, path("acme"), 1);
        TenantRule faster = TenantTest.tenantRule("name", "acme-fast", "tenants", new String[] {"acme"},
                "sites", new String[] {"*"}, "messageRate", "10/s");
        shaper.setTenants(new TenantBook(List.of(faster), null));
        TenantBudgetStatus acme = shaper.tenantBudgets().get(0);
        assertEquals("acme-fast", acme.rule());
        assertEquals(Rate.parse("10/s"), acme.messageRate());
        shaper.setTenants(TenantBook.NONE);
        assertEquals(List.of(), shaper.tenantBudgets());
    }

    @Test
    void aBudgetSharedThroughRedisShowsWhatEveryNodeTookAndItsShareWhileRedisIsAway() throws Exception {
        Assumptions.assumeTrue(RedisServer.available(), "redis-server is not installed");
        TenantBook book = new TenantBook(List.of(ACME), null);
        try (RedisServer redis = RedisServer.start();
             RedisRateGate gateA = new RedisRateGate(redis.uri(), 2, 500, Duration.ofSeconds(5), clock);
             RedisRateGate gateB = new RedisRateGate(redis.uri(), 2, 500, Duration.ofSeconds(5), clock)) {
            Shaper nodeA = shaper(gateA, book);
            Shaper nodeB = shaper(gateB, book);
            take(nodeA, path("acme"), 3);
            nodeB.nextOpportunity(path("acme"));
            TenantBudgetStatus onB = nodeB.tenantBudgets().get(0);
            assertEquals(2, onB.available(), "node B sees node A's three");
            assertTrue(onB.shared());

            redis.stop();
            onB = nodeB.tenantBudgets().get(0);
            assertFalse(onB.shared(), "Redis is away");
            assertEquals(2, onB.burst(), "node B keeps to its half of the burst of 5");
            assertEquals(2, onB.available());
        }
    }

    @Test
    void manySharedBudgetsAreReadInOneRoundTrip() throws Exception {
        Assumptions.assumeTrue(RedisServer.available(), "redis-server is not installed");
        TenantBook book = new TenantBook(List.of(), DEFAULT);
        try (RedisServer redis = RedisServer.start();
             RedisRateGate gateA = new RedisRateGate(redis.uri(), 2, 500, Duration.ofSeconds(5), clock);
             RedisRateGate gateB = new RedisRateGate(redis.uri(), 2, 500, Duration.ofSeconds(5), clock);
             Jedis admin = new Jedis(URI.create(redis.uri()))) {
            Shaper nodeA = shaper(gateA, book);
            Shaper nodeB = shaper(gateB, book);
            for (int t = 0; t < 40; t++) {
                take(nodeA, path("t" + t), t % 3);
                nodeB.nextOpportunity(path("t" + t));
            }
            admin.configResetStat();
            List<TenantBudgetStatus> listed = nodeB.tenantBudgets();
            String calls = admin.info("commandstats");

            assertEquals(40, listed.size());
            for (TenantBudgetStatus s : listed) {
                int t = Integer.parseInt(s.tenant().substring(1));
                assertEquals(2 - t % 3, s.available(), s.tenant() + ": what node A took, read by node B");
                assertTrue(s.shared(), s.tenant());
            }
            assertTrue(calls.contains("cmdstat_mget:calls=1,"), calls);
            assertFalse(calls.contains("cmdstat_evalsha"), "no script per budget: " + calls);
        }
    }

    private static List<String> tenants(Shaper shaper) {
        return shaper.tenantBudgets().stream().map(TenantBudgetStatus::tenant).toList();
    }
}
