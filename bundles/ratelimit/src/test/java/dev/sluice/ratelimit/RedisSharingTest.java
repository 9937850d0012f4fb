package dev.sluice.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.Reply;
import dev.sluice.api.ratelimit.ConnectionPermit;
import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.ratelimit.Suspension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two shapers (as on two nodes) sharing one real redis-server. Needs the redis-server binary (Debian: redis-server). */
class RedisSharingTest {

    private final TestClock clock = new TestClock("2026-11-23T10:00:00Z");
    private final PathKey path = new PathKey("gmail-smtp-in.l.google.com", "ip1");
    private RedisServer redis;
    private RedisRateGate gateA;
    private RedisRateGate gateB;
    private Shaper nodeA;
    private Shaper nodeB;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(RedisServer.available(), "redis-server is not installed");
        redis = RedisServer.start();
        gateA = new RedisRateGate(redis.uri(), 2, 500, Duration.ofSeconds(5), clock);
        gateB = new RedisRateGate(redis.uri(), 2, 500, Duration.ofSeconds(5), clock);
        ShapingRule rule = Configs.rule("name", "google", "mxHosts", new String[] {"*.google.com"},
                "messageRate", "100/s", "maxConnections", 4, "connectionRate", "1000/s");
        nodeA = Shapers.of(clock, gateA, rule);
        nodeB = Shapers.of(clock, gateB, rule);
    }

    @AfterEach
    void stop() throws Exception {
        if (gateA != null) {
            gateA.close();
            gateB.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    /** Both nodes take every message they may every 10 ms for {@code d}; returns {taken by A, taken by B}. */
    private long[] run(Duration d) {
        long a = 0;
        long b = 0;
        Instant end = clock.instant().plus(d);
        while (clock.instant().isBefore(end)) {
            boolean more = true;
            while (more) { // alternately, as two busy nodes would
                boolean tookA = nodeA.tryAcquireMessage(path);
                boolean tookB = nodeB.tryAcquireMessage(path);
                a += tookA ? 1 : 0;
                b += tookB ? 1 : 0;
                more = tookA || tookB;
            }
            clock.advance(Duration.ofMillis(10));
        }
        return new long[] {a, b};
    }

    private static void assertAround(long expected, long actual, String what) {
        assertTrue(Math.abs(actual - expected) <= expected / 10, what + ": " + actual + ", expected ~" + expected);
    }

    @Test
    void twoNodesStayWithinOneBudget() {
        long[] taken = run(Duration.ofMinutes(1));
        assertAround(6000, taken[0] + taken[1], "both nodes together in a minute at 100/s");
        assertTrue(taken[0] > 0 && taken[1] > 0, "both nodes sent");
        while (nodeA.tryAcquireMessage(path)) {
            taken[0]++;
        }
        assertFalse(nodeB.tryAcquireMessage(path), "node A took the last token, node B sees it gone");
        assertEquals(clock.instant().plusMillis(10), nodeB.nextOpportunity(path), "the next token in 10 ms at 100/s");
        assertTrue(gateA.shared() && gateB.shared());
    }

    @Test
    void redisKilledMidRunFallsBackToLocalSharesAndRecovers() throws Exception {
        long[] shared = run(Duration.ofSeconds(30));
        assertAround(3000, shared[0] + shared[1], "shared, before the kill");

        redis.stop();
        long[] local = run(Duration.ofSeconds(30));
        assertFalse(gateA.shared() || gateB.shared(), "both nodes noticed");
        assertAround(1500, local[0], "node A alone on its half");
        assertAround(1500, local[1], "node B alone on its half");
        assertAround(3000, local[0] + local[1], "together still within the budget");

        redis.restart();
        clock.advance(Duration.ofSeconds(5)); // the retry interval
        long[] again = run(Duration.ofSeconds(30));
        assertTrue(gateA.shared() && gateB.shared(), "back to shared budgets");
        assertAround(3000, again[0] + again[1], "shared again");
    }

    @Test
    void suspensionsAreSharedAndAResumeOnOneNodeReachesTheOther() {
        Reply busy = Reply.of(421, "4.7.0", "Too many connections");
        nodeA.onReply(path, busy);
        nodeA.onReply(path, busy);
        assertEquals(50, nodeA.limits(path).messageRate().permits());
        clock.advance(SharedSuspensions.FRESH);
        Suspension seenByB = nodeB.suspension(path).orElseThrow();
        assertEquals("too-many-connections", seenByB.rule());
        assertEquals(busy, seenByB.trigger());
        assertEquals(50, nodeB.limits(path).messageRate().permits(), "node B throttles too");

        assertTrue(nodeB.resume(path.site()));
        assertEquals(100, nodeB.limits(path).messageRate().permits());
        clock.advance(SharedSuspensions.FRESH);
        assertTrue(nodeA.suspension(path).isEmpty(), "the resume reached node A");
        assertEquals(100, nodeA.limits(path).messageRate().permits());

        nodeA.suspend(path.site(), Duration.ofHours(1), "complaints");
        clock.advance(SharedSuspensions.FRESH);
        PathKey otherSource = new PathKey(path.site(), "ip9");
        assertTrue(nodeB.tryOpenConnection(otherSource).isEmpty(), "operator suspension on node A holds on node B");
        assertEquals("suspend: complaints", nodeB.suspension(otherSource).orElseThrow().action());
        clock.advance(Duration.ofHours(1));
        assertTrue(nodeB.tryOpenConnection(otherSource).isPresent(), "and it expires there too");
    }

    @Test
    void connectionSlotsAreCountedAcrossNodes() throws Exception {
        List<ConnectionPermit> onA = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            onA.add(nodeA.tryOpenConnection(path).orElseThrow());
        }
        ConnectionPermit onB = nodeB.tryOpenConnection(path).orElseThrow();
        assertTrue(nodeB.tryOpenConnection(path).isEmpty(), "4 of 4 slots taken across both nodes");
        assertTrue(nodeA.tryOpenConnection(path).isEmpty());
        onA.remove(0).close();
        ConnectionPermit second = nodeB.tryOpenConnection(path).orElseThrow();

        redis.stop();
        assertTrue(nodeA.tryOpenConnection(path).isEmpty(), "Redis gone: A holds 2, its share of 4 on 2 nodes");
        onA.remove(0).close();
        assertTrue(nodeA.tryOpenConnection(path).isPresent(), "within the local share");
        assertTrue(nodeB.tryOpenConnection(path).isEmpty(), "B holds 2 as well");
        onB.close();
        second.close();
    }

    @Test
    void connectionsOpenedWhileRedisWasDownCountOnceItIsBackEvenEmpty() throws Exception {
        redis.stop();
        nodeA.tryAcquireMessage(path); // each node notices the outage on its next call
        nodeB.tryAcquireMessage(path);
        List<ConnectionPermit> open = new ArrayList<>();
        for (Shaper node : List.of(nodeA, nodeB)) {
            open.add(node.tryOpenConnection(path).orElseThrow());
            open.add(node.tryOpenConnection(path).orElseThrow());
            assertTrue(node.tryOpenConnection(path).isEmpty(), "2 each: the local share of 4 on 2 nodes");
        }
        redis.restart(); // without persistence: the leases from before are gone
        clock.advance(Duration.ofSeconds(5));
        nodeA.tryAcquireMessage(path); // the first call after the retry interval finds Redis back
        nodeB.tryAcquireMessage(path);
        assertTrue(gateA.shared() && gateB.shared());
        assertTrue(nodeA.tryOpenConnection(path).isEmpty(), "the 4 open connections fill the shared count");
        assertTrue(nodeB.tryOpenConnection(path).isEmpty());
        open.remove(0).close(); // one of A's
        assertTrue(nodeB.tryOpenConnection(path).isPresent(), "its adopted lease was given back");
        assertTrue(nodeA.tryOpenConnection(path).isEmpty());
    }

    @Test
    void afterAnEmptyRestartANodeKeepsToItsShareUntilTheOthersHaveCountedTheirConnectionsAgain() throws Exception {
        redis.stop();
        nodeA.tryAcquireMessage(path);
        nodeB.tryAcquireMessage(path);
        List<ConnectionPermit> onA = List.of(nodeA.tryOpenConnection(path).orElseThrow(),
                nodeA.tryOpenConnection(path).orElseThrow());
        List<ConnectionPermit> onB = List.of(nodeB.tryOpenConnection(path).orElseThrow(),
                nodeB.tryOpenConnection(path).orElseThrow());
        redis.restart(); // empty
        clock.advance(Duration.ofSeconds(5));
        nodeA.tryAcquireMessage(path); // A is back first: Redis counts A's two, not yet B's two
        assertTrue(gateA.shared() && !gateB.shared());
        assertTrue(nodeA.tryOpenConnection(path).isEmpty(), "2 of 4 free in Redis, but B's two are still open");
        nodeB.tryAcquireMessage(path); // B is back and counts its own again
        clock.advance(Duration.ofMillis(300));
        onB.get(0).close();
        assertTrue(nodeA.tryOpenConnection(path).isPresent(), "every node has counted again: the shared limit holds");
        assertTrue(nodeB.tryOpenConnection(path).isEmpty(), "4 of 4");
        onA.get(0).close();
        onB.get(1).close();
    }

    @Test
    void theGraceAfterARestartEndsWhenANodeNeverComesBack() throws Exception {
        redis.stop();
        nodeA.tryAcquireMessage(path);
        List<ConnectionPermit> onA = List.of(nodeA.tryOpenConnection(path).orElseThrow(),
                nodeA.tryOpenConnection(path).orElseThrow());
        redis.restart();
        clock.advance(Duration.ofSeconds(5));
        nodeA.tryAcquireMessage(path);
        assertTrue(nodeA.tryOpenConnection(path).isEmpty(), "B has not registered: A keeps to its share");
        clock.advance(Duration.ofSeconds(11)); // twice the retry interval and the timeout
        assertTrue(nodeA.tryOpenConnection(path).isPresent(), "the grace is over");
        onA.forEach(ConnectionPermit::close);
    }

    @Test
    void whileRedisIsAwayANodeLeavesTheOthersWhatTheyHeldBeyondTheirShare() throws Exception {
        List<ConnectionPermit> onA = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            onA.add(nodeA.tryOpenConnection(path).orElseThrow());
        }
        ConnectionPermit onB = nodeB.tryOpenConnection(path).orElseThrow(); // B sees A's three
        redis.stop();
        nodeA.tryAcquireMessage(path);
        nodeB.tryAcquireMessage(path);
        onB.close();
        ConnectionPermit again = nodeB.tryOpenConnection(path).orElseThrow();
        assertTrue(nodeB.tryOpenConnection(path).isEmpty(), "A still holds 3 of 4: B's share of 2 would make 5");
        assertTrue(nodeA.tryOpenConnection(path).isEmpty(), "A holds more than its share");
        onA.remove(0).close();
        onA.remove(0).close();
        assertTrue(nodeA.tryOpenConnection(path).isPresent(), "A is below its share of 2");
        again.close();
        onA.forEach(ConnectionPermit::close);
    }

    @Test
    void leasesFromBeforeARedisRestartCountAgain() throws Exception {
        List<ConnectionPermit> onA = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            onA.add(nodeA.tryOpenConnection(path).orElseThrow());
        }
        redis.stop();
        redis.restart(); // empty: A's four leases are gone from Redis, its connections are not
        nodeA.tryAcquireMessage(path); // A finds it broken...
        clock.advance(Duration.ofSeconds(5));
        nodeA.tryAcquireMessage(path); // ...and back: it writes its leases again
        assertTrue(nodeB.tryOpenConnection(path).isEmpty(), "A's four open connections still fill the limit");
        onA.remove(0).close();
        assertTrue(nodeB.tryOpenConnection(path).isPresent());
    }

    @Test
    void theSlotsOfANodeThatDiedFreeThemselves() {
        for (int i = 0; i < 4; i++) {
            nodeA.tryOpenConnection(path).orElseThrow(); // never closed: node A dies holding them
        }
        assertTrue(nodeB.tryOpenConnection(path).isEmpty());
        clock.advance(RedisSlots.LEASE.plusSeconds(1));
        assertTrue(nodeB.tryOpenConnection(path).isPresent(), "A's leases expired");
    }

    @Test
    void leasesOfALiveNodeAreRenewed() {
        ConnectionPermit held = nodeA.tryOpenConnection(path).orElseThrow();
        for (int minute = 0; minute < 10; minute++) {
            clock.advance(Duration.ofMinutes(1));
            nodeA.tryOpenConnection(new PathKey("other.site", "ip1")).orElseThrow().close(); // A's own traffic
        }
        for (int i = 0; i < 3; i++) {
            nodeB.tryOpenConnection(path).orElseThrow();
        }
        assertTrue(nodeB.tryOpenConnection(path).isEmpty(), "A's lease is still counted after 10 minutes");
        held.close();
        assertTrue(nodeB.tryOpenConnection(path).isPresent());
    }

    /** Sources on both nodes: ip1 warms up with {@code warmup} a day and is preferred; ip2 takes the overflow. */
    private void warmingSources(String warmup) {
        for (Shaper node : List.of(nodeA, nodeB)) {
            node.sources().setSources(List.of(SourceSpec.of("ip1", "192.0.2.1", "mta1.test", "default", 1, warmup,
                    "2026-11-23"), SourceSpec.of("ip2", "192.0.2.2", "mta2.test", "spare", 1, "", "")));
        }
    }

    /** Each node chooses a source {@code times} times, alternately; returns how often each source was chosen. */
    private Map<String, Integer> choose(int times) {
        Map<String, Integer> chosen = new HashMap<>();
        for (int i = 0; i < times; i++) {
            for (Shaper node : List.of(nodeA, nodeB)) {
                chosen.merge(node.chooseSource(path.site(), null).name(), 1, Integer::sum);
            }
        }
        return chosen;
    }

    @Test
    void warmUpVolumesAreCountedOnceForAllNodes() {
        warmingSources("10");
        assertEquals(Map.of("ip1", 10, "ip2", 50), choose(30), "day 1: 10 from ip1 in all, not 10 per node");
        clock.advance(Duration.ofDays(1));
        assertEquals(Map.of("ip1", 60), choose(30), "the schedule is over: ip1 carries everything");
    }

    @Test
    void warmUpFallsBackToLocalSharesWhileRedisIsDownAndCountsThemWhenItIsBack() throws Exception {
        warmingSources("100");
        assertEquals(Map.of("ip1", 40), choose(20));

        redis.stop();
        Map<String, Integer> down = choose(50);
        assertFalse(gateA.shared() || gateB.shared());
        assertEquals(60, down.get("ip1"), 1, "each node took half of the 60 left: " + down);

        redis.restart(); // empty: the 40 shared counts are gone with it
        clock.advance(Duration.ofSeconds(5));
        nodeA.tryAcquireMessage(path); // the first calls after the retry interval find Redis back...
        nodeB.tryAcquireMessage(path); // ...and each node writes its count of the day again
        assertTrue(gateA.shared() && gateB.shared());
        assertEquals(Map.of("ip2", 40), choose(20), "the day's budget of 100 was used up");
    }

    @Test
    void aNodesPartOfADayCountOnlyGrows() {
        java.time.Duration ttl = Duration.ofDays(2);
        for (int i = 0; i < 20; i++) {
            gateA.countUpTo("test-count", 100, ttl);
        }
        assertTrue(gateA.restoreCount("test-count", 5, 0, ttl), "5 counted while Redis was unreachable");
        assertEquals(26, gateA.countUpTo("test-count", 100, ttl)[1]);
        assertTrue(gateA.restoreCount("test-count", 0, 10, ttl), "a part of 26 is not lowered to 10");
        assertTrue(gateB.restoreCount("test-count", 0, 30, ttl), "another node's part");
        assertEquals(57, gateB.countUpTo("test-count", 100, ttl)[1]);
        assertEquals(0, gateB.countUpTo("test-count", 57, ttl)[0], "at the budget: not counted");
    }

    @Test
    void anIdleConnectionIsWantedWhenAnotherNodeWaitsForASlot() {
        List<ConnectionPermit> onA = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            onA.add(nodeA.tryOpenConnection(path).orElseThrow());
        }
        assertFalse(onA.get(0).wanted(), "nobody waits");
        assertFalse(nodeA.tryAcquireMessage(path, 4), "node A waiting for a slot itself...");
        clock.advance(Permit.WANT_CHECK);
        assertFalse(onA.get(0).wanted(), "...does not close its own idle connections for it");

        assertFalse(nodeB.tryAcquireMessage(path, 0), "node B needs a connection, every slot is taken: no token");
        assertEquals(clock.instant().plus(Shaper.SLOT_POLL), nodeB.nextOpportunity(path));
        clock.advance(Permit.WANT_CHECK);
        assertTrue(onA.get(1).wanted(), "node B waits");
        assertFalse(onA.get(2).wanted(), "one idle connection at a time gives way");

        onA.remove(1).close();
        assertTrue(nodeB.tryAcquireMessage(path, 0), "a slot is free");
        ConnectionPermit onB = nodeB.tryOpenConnection(path).orElseThrow();
        clock.advance(Permit.WANT_CHECK);
        assertFalse(onA.get(0).wanted(), "node B has its slot: nobody waits any more");
        onB.close();
    }

    @Test
    void aTenantsTokenIsNotSpentWhenTheSharedPathHasNone() {
        TenantRule acme = TenantTest.tenantRule("name", "acme", "tenants", new String[] {"acme"},
                "sites", new String[] {"*"}, "messageRate", "5/s");
        nodeA.setTenants(new TenantBook(List.of(acme), null));
        nodeB.setTenants(new TenantBook(List.of(acme), null));
        PathKey bob = new PathKey(path.site(), path.source(), "bob");
        PathKey acmePath = new PathKey(path.site(), path.source(), "acme");
        int taken = 0;
        while (nodeA.tryAcquireMessage(bob)) {
            taken++;
        }
        assertEquals(100, taken, "bob empties the path on node A");
        for (int i = 0; i < 20; i++) {
            assertFalse(nodeB.tryAcquireMessage(acmePath), "no token on the path for acme on node B");
        }
        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 5; i++) {
            assertTrue(nodeA.tryAcquireMessage(acmePath), "acme's burst is whole: " + i);
        }
        assertFalse(nodeB.tryAcquireMessage(acmePath), "and shared: node B sees it used up");
    }
}
