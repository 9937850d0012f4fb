package dev.sluice.ratelimit;

import dev.sluice.api.config.ConfigCheck;
import dev.sluice.api.mail.LocalHostName;
import dev.sluice.api.ratelimit.EgressSource;
import java.time.Clock;

/** Turns the shaper's configuration into its parts, naming the key of a bad value. */
final class ShaperSetup {

    static final int MAX_NODES = 1000;
    static final int MAX_TIMEOUT_MILLIS = 60_000;
    static final int MAX_RETRY_SECONDS = 3600;

    private ShaperSetup() {
    }

    static ShapingRule fallbackRule(ShaperComponent.Config c) {
        try {
            return ShapingRule.of("default", new String[] {"*"}, new String[0], "", c.defaultMaxConnections(),
                    c.defaultConnectionRate(), c.defaultMaxMessagesPerConnection(), c.defaultMessageRate(),
                    c.defaultMaxRecipientsPerTransaction(), "", "", "UTC", "");
        } catch (IllegalArgumentException e) {
            // ShapingRule names its own keys; the shaper's carry a "default" prefix
            String m = e.getMessage();
            throw new IllegalArgumentException("default" + Character.toUpperCase(m.charAt(0)) + m.substring(1), e);
        }
    }

    /** The rule for tenants no tenant rule matches; null when {@code defaultTenantMessageRate} is empty (no limit). */
    static TenantRule tenantFallback(ShaperComponent.Config c) {
        String rate = c.defaultTenantMessageRate();
        return rate == null || rate.isBlank() ? null
                : TenantRule.fallback(ShapingRule.rate("defaultTenantMessageRate", rate));
    }

    static EgressSource defaultSource(ShaperComponent.Config c) {
        String ehlo = c.defaultEhloName().isBlank() ? LocalHostName.detect() : c.defaultEhloName().trim();
        String name = c.defaultSourceName().isBlank() ? "default" : c.defaultSourceName();
        try {
            return SourceSpec.of(name, c.defaultBindAddress(), ehlo, "default", 1, "", "").egress();
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new IllegalArgumentException("default" + Character.toUpperCase(m.charAt(0)) + m.substring(1), e);
        }
    }

    static RateGate gate(ShaperComponent.Config c, Clock clock) {
        ConfigCheck.between("expectedNodes", c.expectedNodes(), 1, MAX_NODES);
        ConfigCheck.between("redisTimeoutMillis", c.redisTimeoutMillis(), 1, MAX_TIMEOUT_MILLIS);
        ConfigCheck.between("redisRetrySeconds", c.redisRetrySeconds(), 1, MAX_RETRY_SECONDS);
        if (c.redisUri().isBlank()) {
            return new LocalRateGate();
        }
        return new RedisRateGate(c.redisUri().trim(), c.expectedNodes(), c.redisTimeoutMillis(),
                java.time.Duration.ofSeconds(c.redisRetrySeconds()), clock);
    }

    /** What the gate depends on: equal identities mean the gate can stay. */
    static String gateIdentity(ShaperComponent.Config c) {
        return c.redisUri().trim() + "|" + c.expectedNodes() + "|" + c.redisTimeoutMillis() + "|" + c.redisRetrySeconds();
    }

}
