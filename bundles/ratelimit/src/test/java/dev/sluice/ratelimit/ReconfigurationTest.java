package dev.sluice.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.Reply;
import dev.sluice.api.ratelimit.ConnectionPermit;
import dev.sluice.api.ratelimit.PathKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Configuration changes through the DS bindings apply to live traffic, without a new shaper. */
class ReconfigurationTest {

    private final TestClock clock = new TestClock("2026-11-23T10:00:00Z");
    private final PathKey path = new PathKey("mx.example.com", "default");

    private static RuleComponent rule(int maxConnections) {
        return new RuleComponent(Configs.of(RuleComponent.Config.class, "name", "example",
                "sites", new String[] {"*.example.com"}, "maxConnections", maxConnections, "connectionRate", "1000/s"));
    }

    @Test
    void ruleChangesApplyToOpenPaths() {
        ShaperComponent shaper = new ShaperComponent(Configs.of(ShaperComponent.Config.class), clock);
        try {
            assertEquals(20, shaper.limits(path).maxConnections(), "built-in default before any rule");
            RuleComponent three = rule(3);
            shaper.addRule(three);
            assertEquals(3, shaper.limits(path).maxConnections());
            List<ConnectionPermit> open = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                open.add(shaper.tryOpenConnection(path).orElseThrow());
            }
            // ConfigAdmin update of the factory configuration: DS calls @Modified, then the shaper's updated callback
            three.modified(Configs.of(RuleComponent.Config.class, "name", "example",
                    "sites", new String[] {"*.example.com"}, "maxConnections", 1, "connectionRate", "1000/s"));
            assertEquals(3, shaper.limits(path).maxConnections(), "not yet: the shaper has not been told");
            shaper.addRule(three);
            assertEquals(1, shaper.limits(path).maxConnections());
            open.forEach(ConnectionPermit::close);
            assertTrue(shaper.tryOpenConnection(path).isPresent());
            assertTrue(shaper.tryOpenConnection(path).isEmpty(), "the new limit holds, the old permits were counted");
            shaper.removeRule(three);
            assertEquals(20, shaper.limits(path).maxConnections());
            RuleComponent two = rule(2);
            shaper.addRule(two);
            assertEquals(2, shaper.limits(path).maxConnections(), "a new rule applies to the open path at once");
        } finally {
            shaper.deactivate();
        }
    }

    @Test
    void shaperDefaultsAndBackoffRulesChangeLive() {
        ShaperComponent shaper = new ShaperComponent(Configs.of(ShaperComponent.Config.class), clock);
        try {
            shaper.modified(Configs.of(ShaperComponent.Config.class, "defaultMaxConnections", 4,
                    "builtinBackoffRules", false));
            assertEquals(4, shaper.limits(path).maxConnections());
            Reply busy = Reply.of(421, "4.7.0", "Too many connections");
            shaper.onReply(path, busy);
            shaper.onReply(path, busy);
            assertFalse(shaper.suspension(path).isPresent(), "built-in rules are off");
            shaper.addBackoff(new BackoffComponent(Configs.of(BackoffComponent.Config.class, "name", "busy",
                    "pattern", "too many connections", "action", "suspend", "triggerCount", 1)));
            shaper.onReply(path, busy);
            assertEquals("busy", shaper.suspension(path).orElseThrow().rule());
        } finally {
            shaper.deactivate();
        }
    }

    @Test
    void aShaperChangeKeepsTheBucketsAndABadOneChangesNothing() {
        ShaperComponent shaper = new ShaperComponent(Configs.of(ShaperComponent.Config.class,
                "defaultMessageRate", "5/s"), clock);
        try {
            int taken = 0;
            while (shaper.tryAcquireMessage(path)) {
                taken++;
            }
            assertEquals(5, taken, "a burst of one second's worth");
            shaper.modified(Configs.of(ShaperComponent.Config.class, "defaultMessageRate", "5/s",
                    "defaultMaxConnections", 4));
            assertFalse(shaper.tryAcquireMessage(path), "the emptied bucket was kept: no fresh burst");
            RuleMatchingTest.assertMessage("defaultMaxConnections: must be 1 to 1000000, was 0", () -> shaper.modified(
                    Configs.of(ShaperComponent.Config.class, "defaultMaxConnections", 0)));
            assertEquals(4, shaper.limits(path).maxConnections(), "the bad change was not applied");
        } finally {
            shaper.deactivate();
        }
    }

    @Test
    void badBackoffAndSourceValuesNameTheKey() {
        RuleMatchingTest.assertMessage("action: 'pause' is neither suspend nor throttle", () -> new BackoffComponent(
                Configs.of(BackoffComponent.Config.class, "name", "b", "pattern", "x", "action", "pause")));
        RuleMatchingTest.assertMessage("warmup: day 2 'lots' is not a whole number of messages", () ->
                new SourceComponent(Configs.of(SourceComponent.Config.class, "name", "ip1", "ehloName", "mta1.test",
                        "warmup", "100, lots", "warmupStart", "2026-11-23")));
        RuleMatchingTest.assertMessage("bindAddress: 'mail.example.com' is not an IP address literal", () ->
                new SourceComponent(Configs.of(SourceComponent.Config.class, "name", "ip1", "ehloName", "mta1.test",
                        "bindAddress", "mail.example.com")));
        RuleMatchingTest.assertMessage("redisUri: 'localhost:6379' is not redis://host:port[/db]", () ->
                new ShaperComponent(Configs.of(ShaperComponent.Config.class, "redisUri", "localhost:6379"), clock));
        RuleMatchingTest.assertMessage("expectedNodes: must be 1 to 1000, was 0", () -> new ShaperComponent(
                Configs.of(ShaperComponent.Config.class, "expectedNodes", 0), clock));
    }
}
