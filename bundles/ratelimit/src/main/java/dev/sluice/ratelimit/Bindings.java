package dev.sluice.ratelimit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The rules, sources and backoff rules bound so far; each change hands the shaper a fresh immutable set. */
final class Bindings {

    private final Shaper shaper;
    private final List<ShapingRule> rules = new ArrayList<>();
    private final List<SourceSpec> sources = new ArrayList<>();
    private final List<BackoffRule> backoffs = new ArrayList<>();
    private ShapingRule fallback;
    private boolean builtins;

    Bindings(Shaper shaper, ShapingRule fallback, boolean builtins) {
        this.shaper = shaper;
        configure(fallback, builtins);
    }

    synchronized void configure(ShapingRule fallback, boolean builtins) {
        this.fallback = fallback;
        this.builtins = builtins;
        publish();
    }

    synchronized void rules(ShapingRule rule, boolean add) {
        change(rules, rule, add);
    }

    synchronized void sources(SourceSpec source, boolean add) {
        change(sources, source, add);
    }

    synchronized void backoffs(BackoffRule rule, boolean add) {
        change(backoffs, rule, add);
    }

    private <T> void change(List<T> list, T item, boolean add) {
        if (add) {
            list.add(item);
        } else {
            list.removeIf(x -> x == item);
        }
        publish();
    }

    private void publish() {
        shaper.setRules(new RuleBook(rules, fallback));
        shaper.sources().setSources(sources);
        Map<String, BackoffRule> byName = new LinkedHashMap<>();
        if (builtins) {
            BackoffRule.builtins().forEach(r -> byName.put(r.name(), r));
        }
        backoffs.forEach(r -> byName.put(r.name(), r));
        shaper.backoff().setRules(List.copyOf(byName.values()));
    }
}
