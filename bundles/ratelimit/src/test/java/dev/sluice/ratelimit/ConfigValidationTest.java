package dev.sluice.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import org.junit.jupiter.api.Test;

/** Values that would be accepted silently and misbehave later are refused at activation, naming the key. */
class ConfigValidationTest {

    private static final Clock CLOCK = new TestClock("2026-11-23T10:00:00Z");

    private static SourceComponent source(Object... keyValues) {
        Object[] all = new Object[keyValues.length + 2];
        all[0] = "name";
        all[1] = "ip1";
        System.arraycopy(keyValues, 0, all, 2, keyValues.length);
        return new SourceComponent(Configs.of(SourceComponent.Config.class, all));
    }

    private static BackoffComponent backoff(Object... keyValues) {
        Object[] all = new Object[keyValues.length + 4];
        all[0] = "name";
        all[1] = "b";
        all[2] = "pattern";
        all[3] = "too many";
        System.arraycopy(keyValues, 0, all, 4, keyValues.length);
        return new BackoffComponent(Configs.of(BackoffComponent.Config.class, all));
    }

    @Test
    void anEhloNameThatWouldGarbleTheCommandIsRefused() {
        RuleMatchingTest.assertMessage("ehloName: 'mta1.example.net\r\nRSET' is neither a host name nor an address "
                + "literal such as [192.0.2.1]", () -> source("ehloName", "mta1.example.net\r\nRSET"));
        RuleMatchingTest.assertMessage("ehloName: 'mta 1' is neither a host name nor an address literal such as "
                + "[192.0.2.1]", () -> source("ehloName", "mta 1"));
        RuleMatchingTest.assertMessage("defaultEhloName: 'a_b c' is neither a host name nor an address literal such "
                + "as [192.0.2.1]", () -> new ShaperComponent(Configs.of(ShaperComponent.Config.class,
                "defaultEhloName", "a_b c"), CLOCK));
        assertEquals("[192.0.2.1]", source("ehloName", "[192.0.2.1]").spec().egress().ehloName());
        assertEquals("[IPv6:2001:db8::1]", source("ehloName", "[IPv6:2001:db8::1]").spec().egress().ehloName());
        assertEquals("mta-1.example.net", source("ehloName", "mta-1.example.net").spec().egress().ehloName());
    }

    @Test
    void aBackoffRuleWithoutPatternIsRefused() {
        RuleMatchingTest.assertMessage("pattern: backoff rule 'b' needs a pattern", () -> new BackoffComponent(
                Configs.of(BackoffComponent.Config.class, "name", "b")));
    }

    @Test
    void durationsAndSharesOutOfRangeAreRefused() {
        RuleMatchingTest.assertMessage("durationMinutes: must be 1 to 10080, was 20000",
                () -> backoff("durationMinutes", 20_000));
        RuleMatchingTest.assertMessage("triggerWindowMinutes: must be 1 to 10080, was 0",
                () -> backoff("triggerWindowMinutes", 0));
        RuleMatchingTest.assertMessage("recoveryIntervalMinutes: must be 1 to 10080, was 2147483647",
                () -> backoff("recoveryIntervalMinutes", Integer.MAX_VALUE));
        RuleMatchingTest.assertMessage("recoveryRatePercent: must be 1 to 100, was 101",
                () -> backoff("recoveryRatePercent", 101));
        RuleMatchingTest.assertMessage("authLockoutMinutes: must be 1 to 10080, was 0", () -> new InboundComponent(
                Configs.of(InboundComponent.Config.class, "authLockoutMinutes", 0)));
        RuleMatchingTest.assertMessage("expectedNodes: must be 1 to 1000, was 5000", () -> new ShaperComponent(
                Configs.of(ShaperComponent.Config.class, "expectedNodes", 5000), CLOCK));
        RuleMatchingTest.assertMessage("redisTimeoutMillis: must be 1 to 60000, was 0", () -> new ShaperComponent(
                Configs.of(ShaperComponent.Config.class, "redisTimeoutMillis", 0), CLOCK));
        RuleMatchingTest.assertMessage("redisRetrySeconds: must be 1 to 3600, was -1", () -> new ShaperComponent(
                Configs.of(ShaperComponent.Config.class, "redisRetrySeconds", -1), CLOCK));
    }

    @Test
    void countsBeyondTheirMaximumAreRefused() {
        RuleMatchingTest.assertMessage("maxMessagesPerConnection: must be 1 to 1000000, was 2000000",
                () -> Configs.rule("name", "r", "sites", new String[] {"*"}, "maxMessagesPerConnection", 2_000_000));
        RuleMatchingTest.assertMessage("weight: must be 1 to 1000000, was 0",
                () -> source("ehloName", "mta1.example.net", "weight", 0));
        RuleMatchingTest.assertMessage("recoveryConnections: must be 1 to 1000000, was 1000001",
                () -> backoff("recoveryConnections", 1_000_001));
        RuleMatchingTest.assertMessage("maxAuthFailures: must be 1 to 1000000, was 0", () -> new InboundComponent(
                Configs.of(InboundComponent.Config.class, "maxAuthFailures", 0)));
    }

    @Test
    void aRateBeyondAnyLimitIsRefused() {
        RuleMatchingTest.assertMessage("messageRate: rate '9000000000/s' allows more than 1000000000 per period",
                () -> Configs.rule("name", "r", "sites", new String[] {"*"}, "messageRate", "9000000000/s"));
        RuleMatchingTest.assertMessage("messageRatePerClient: rate '2000000000/min' allows more than 1000000000 per "
                + "period", () -> new InboundComponent(Configs.of(InboundComponent.Config.class,
                "messageRatePerClient", "2000000000/min")));
    }
}
