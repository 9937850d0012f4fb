package dev.sluice.ratelimit;

import dev.sluice.api.ratelimit.EgressSource;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;

/** Turns the shaper's configuration into its parts, naming the key of a bad value. */
final class ShaperSetup {

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

    static EgressSource defaultSource(ShaperComponent.Config c) {
        String ehlo = c.defaultEhloName().isBlank() ? localHostName() : c.defaultEhloName().trim();
        String name = c.defaultSourceName().isBlank() ? "default" : c.defaultSourceName();
        try {
            return SourceSpec.of(name, c.defaultBindAddress(), ehlo, "default", 1, "", "").egress();
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new IllegalArgumentException("default" + Character.toUpperCase(m.charAt(0)) + m.substring(1), e);
        }
    }

    static RateGate gate(ShaperComponent.Config c, Clock clock) {
        if (c.expectedNodes() < 1) {
            throw new IllegalArgumentException("expectedNodes: must be at least 1, was " + c.expectedNodes());
        }
        if (c.redisUri().isBlank()) {
            return new LocalRateGate();
        }
        if (c.redisTimeoutMillis() < 1 || c.redisRetrySeconds() < 1) {
            throw new IllegalArgumentException("redisTimeoutMillis, redisRetrySeconds: must be at least 1");
        }
        return new RedisRateGate(c.redisUri().trim(), c.expectedNodes(), c.redisTimeoutMillis(),
                java.time.Duration.ofSeconds(c.redisRetrySeconds()), clock);
    }

    /** What the gate depends on: equal identities mean the gate can stay. */
    static String gateIdentity(ShaperComponent.Config c) {
        return c.redisUri().trim() + "|" + c.expectedNodes() + "|" + c.redisTimeoutMillis() + "|" + c.redisRetrySeconds();
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
