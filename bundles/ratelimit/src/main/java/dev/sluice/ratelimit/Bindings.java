package dev.sluice.ratelimit;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rules, sources, backoff and tenant rules bound so far, by the component that holds each; every change (bind, update,
 * unbind) hands the shaper a fresh immutable set, so a modified rule replaces the old one in a single step.
 */
final class Bindings {

    private final Shaper shaper;
    private final Map<Object, ShapingRule> rules = new IdentityHashMap<>();
    private final Map<Object, SourceSpec> sources = new IdentityHashMap<>();
    private final Map<Object, BackoffRule> backoffs = new IdentityHashMap<>();
    private final Map<Object, TenantRule> tenants = new IdentityHashMap<>();
    private ShapingRule fallback;
    private TenantRule tenantFallback;
    private boolean builtins;

    /** @param tenantFallback the rule for tenants no tenant rule matches, or null for no limit */
    Bindings(Shaper shaper, ShapingRule fallback, TenantRule tenantFallback, boolean builtins) {
        this.shaper = shaper;
        configure(fallback, tenantFallback, builtins);
    }

    synchronized void configure(ShapingRule fallback, TenantRule tenantFallback, boolean builtins) {
        this.fallback = fallback;
        this.tenantFallback = tenantFallback;
        this.builtins = builtins;
        publish();
    }

    /** @param rule the owner's current rule, or null when the owner is gone */
    synchronized void rule(Object owner, ShapingRule rule) {
        put(rules, owner, rule);
    }

    synchronized void source(Object owner, SourceSpec source) {
        put(sources, owner, source);
    }

    synchronized void backoff(Object owner, BackoffRule rule) {
        put(backoffs, owner, rule);
    }

    synchronized void tenant(Object owner, TenantRule rule) {
        put(tenants, owner, rule);
    }

    private <T> void put(Map<Object, T> map, Object owner, T item) {
        if (item == null) {
            map.remove(owner);
        } else {
            map.put(owner, item);
        }
        publish();
    }

    private void publish() {
        shaper.setRules(new RuleBook(List.copyOf(rules.values()), fallback));
        shaper.setTenants(new TenantBook(List.copyOf(tenants.values()), tenantFallback));
        shaper.sources().setSources(List.copyOf(sources.values()));
        // one rule per name, as a match is counted by name; a configured one replaces the built-in of its name
        Map<String, BackoffRule> configured = new TreeMap<>();
        backoffs.values().forEach(r -> configured.put(r.name(), r));
        List<BackoffRule> defaults = builtins ? BackoffRule.builtins().stream()
                .filter(r -> !configured.containsKey(r.name())).toList() : List.of();
        shaper.backoff().setRules(List.copyOf(configured.values()), defaults);
    }
}
