package dev.sluice.scheduler;

import dev.sluice.api.queue.TenantWait;
import dev.sluice.api.ratelimit.PathKey;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many messages wait aside for their tenant's budget, per tenant and site, over every destination (one site
 * serves many domains): the destinations' pumps change it, operators read it from any thread. A message set aside is
 * also counted in the metrics.
 */
final class TenantTally {

    private record Pair(String tenant, String site) {
    }

    private final Map<Pair, Integer> waiting = new ConcurrentHashMap<>();
    private final Services services;

    TenantTally(Services services) {
        this.services = services;
    }

    void added(PathKey path) {
        waiting.merge(new Pair(path.tenant(), path.site()), 1, Integer::sum);
        services.timings().tenantDeferrals().count(path.tenant(), path.site());
    }

    /** At zero the pair goes, so only tenants that wait take room. */
    void removed(PathKey path) {
        waiting.computeIfPresent(new Pair(path.tenant(), path.site()), (p, n) -> n > 1 ? n - 1 : null);
    }

    List<TenantWait> snapshot() {
        return waiting.entrySet().stream().map(e -> new TenantWait(e.getKey().tenant(), e.getKey().site(), e.getValue()))
                .sorted(Comparator.comparing(TenantWait::tenant).thenComparing(TenantWait::site)).toList();
    }
}
