package dev.sluice.scheduler;

import dev.sluice.api.metrics.Counter;
import dev.sluice.api.metrics.Metrics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code sluice_tenant_deferred_total{tenant,site}}: messages set aside to wait for their tenant's own budget. Tenant
 * keys come from message data, so the labels are bounded as the delivery counters' destinations are: the first
 * {@link #MAX_SERIES} (tenant, site) pairs keep their own series and later ones add to {@code (other)}; first come
 * rather than the largest, because a counter's series must never move to another label.
 */
final class TenantDeferrals {

    static final String NAME = "sluice_tenant_deferred_total";
    static final int MAX_SERIES = 100;
    /** Neither a tenant key (no parentheses survive its normalisation) nor a site. */
    static final String OTHER = "(other)";
    static final TenantDeferrals NONE = new TenantDeferrals(Metrics.NONE);
    private static final String HELP = "Messages that had to wait aside because their tenant's own budget (a tenant "
            + "rule) was used up, by tenant key and site (the first " + MAX_SERIES + " pairs; later ones as (other)).";

    private final Metrics metrics;
    private final Map<List<String>, Counter> series = new ConcurrentHashMap<>();
    private final Counter other;

    TenantDeferrals(Metrics metrics) {
        this.metrics = metrics;
        this.other = metrics.counter(NAME, HELP, "tenant", OTHER, "site", OTHER);
    }

    void count(String tenant, String site) {
        if (metrics == Metrics.NONE) {
            return;
        }
        List<String> key = List.of(tenant, site);
        Counter c = series.get(key);
        if (c == null) {
            synchronized (series) {
                c = series.size() < MAX_SERIES
                        ? series.computeIfAbsent(key, k -> metrics.counter(NAME, HELP, "tenant", tenant, "site", site))
                        : series.getOrDefault(key, other);
            }
        }
        c.increment();
    }
}
