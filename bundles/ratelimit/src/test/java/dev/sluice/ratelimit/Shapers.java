package dev.sluice.ratelimit;

import dev.sluice.api.ratelimit.EgressSource;
import java.util.List;
import java.util.Random;

/** Builds shapers for tests: a test clock, local buckets, the built-in backoff rules and a seeded random. */
final class Shapers {

    private Shapers() {
    }

    static ShapingRule fallback() {
        return ShaperSetup.fallbackRule(Configs.of(ShaperComponent.Config.class));
    }

    static Shaper of(TestClock clock, RateGate gate, ShapingRule... rules) {
        Random random = new Random(42);
        return new Shaper(clock, gate, new RuleBook(List.of(rules), fallback()),
                new SourceSelector(new EgressSource("default", null, "mta.test"), () -> random),
                new Backoff(List.of(), BackoffRule.builtins()));
    }

    static Shaper of(TestClock clock, ShapingRule... rules) {
        return of(clock, new LocalRateGate(), rules);
    }
}
