package dev.sluice.ratelimit;

import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.ratelimit.TenantBudgetStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The tenant budgets: which tenant rule gives a (tenant, site) its bucket, and which budgets were used lately, so
 * that operators see them. Tenant keys come from message data, so what is remembered is bounded: a budget is
 * forgotten {@link #RECENT} after its last use (as quiet paths are), and at most {@link #MAX_TRACKED} are kept.
 */
final class TenantBudgets {

    /** How long a budget stays listed after a message last took or asked for one of its tokens. */
    static final Duration RECENT = Duration.ofMinutes(15);
    /** Budgets remembered at most; past that a new one still limits its tenant but is not listed until room frees. */
    static final int MAX_TRACKED = 10_000;
    /** While the map is full, how often a new budget may look for expired ones to make room (a scan of the map). */
    private static final Duration FULL_SWEEP_EVERY = Duration.ofSeconds(1);
    /** Budgets listed at most, the most recently used (read from Redis together, in one MGET). */
    static final int MAX_LISTED = 500;

    /** A budget to list: its use and the rule that sets its rate now. */
    private record Listed(Use use, TenantRule rule) {
    }

    /** One budget and its last use; the use is written on every message, so it is a plain volatile. */
    private static final class Use {
        final String tenant;
        final String site;
        volatile Instant last;

        Use(String tenant, String site, Instant last) {
            this.tenant = tenant;
            this.site = site;
            this.last = last;
        }
    }

    private volatile TenantBook book = TenantBook.NONE;
    private final ConcurrentHashMap<String, Use> used = new ConcurrentHashMap<>();
    private final AtomicReference<Instant> lastFullSweep = new AtomicReference<>(Instant.MIN);

    void setBook(TenantBook book) {
        this.book = book;
    }

    /** The bucket key of a tenant's budget to a site (the same in this JVM and in Redis). */
    static String key(String tenant, String site) {
        return "tenant|" + tenant + "|" + site;
    }

    /** The tenant's bucket for the path, or null when no tenant rule (nor a default rate) covers it; notes the use. */
    RateGate.Bucket bucket(PathKey path, Instant now) {
        TenantRule rule = path.tenant() == null ? null : book.resolve(path.tenant(), path.site());
        if (rule == null) {
            return null;
        }
        String key = key(path.tenant(), path.site());
        Use use = used.get(key);
        if (use != null) {
            use.last = now;
        } else if (used.size() < MAX_TRACKED || sweepWhenFull(now)) {
            used.putIfAbsent(key, new Use(path.tenant(), path.site(), now));
        }
        return RateGate.Bucket.of(key, rule.messageRate());
    }

    /** The budgets used within {@link #RECENT}, most recently used first, read from {@code gate}. */
    List<TenantBudgetStatus> status(RateGate gate, Instant now) {
        sweep(now); // an operator's look is rare: it also makes room for budgets refused while the map was full
        Instant since = now.minus(RECENT);
        TenantBook b = book;
        List<Use> recent = used.values().stream().filter(u -> u.last.isAfter(since))
                .sorted(Comparator.comparing((Use u) -> u.last).reversed()).limit(MAX_LISTED).toList();
        // a budget whose rule (or the default rate) is gone is no budget any more
        List<Listed> listed = recent.stream().map(u -> new Listed(u, b.resolve(u.tenant, u.site)))
                .filter(l -> l.rule() != null).toList();
        List<RateGate.Fill> fills = gate.fills(listed.stream()
                .map(l -> RateGate.Bucket.of(key(l.use().tenant, l.use().site), l.rule().messageRate())).toList(), now);
        List<TenantBudgetStatus> out = new ArrayList<>(listed.size());
        for (int i = 0; i < listed.size(); i++) {
            Use u = listed.get(i).use();
            TenantRule rule = listed.get(i).rule();
            RateGate.Fill fill = fills.get(i);
            out.add(new TenantBudgetStatus(u.tenant, u.site, rule == b.fallback() ? null : rule.name(),
                    rule.messageRate(), fill.burst(), fill.available(), fill.next(), u.last, fill.shared()));
        }
        return out;
    }

    /** Makes room by forgetting expired budgets, at most once per {@link #FULL_SWEEP_EVERY}; true if there is room. */
    private boolean sweepWhenFull(Instant now) {
        Instant last = lastFullSweep.get();
        if (now.isBefore(last.plus(FULL_SWEEP_EVERY)) || !lastFullSweep.compareAndSet(last, now)) {
            return false;
        }
        sweep(now);
        return used.size() < MAX_TRACKED;
    }

    /** Forgets the budgets not used within {@link #RECENT}; their buckets live on in the gate until full. */
    void sweep(Instant now) {
        Instant since = now.minus(RECENT);
        used.values().removeIf(u -> !u.last.isAfter(since));
    }

    int tracked() {
        return used.size();
    }
}
