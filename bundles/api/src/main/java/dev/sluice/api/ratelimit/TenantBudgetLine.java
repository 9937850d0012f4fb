package dev.sluice.api.ratelimit;

import dev.sluice.api.queue.TenantWait;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One line of the tenant budgets as operators see them: a budget the traffic shaper used lately with the messages
 * waiting aside for it, or messages still waiting for a budget the shaper no longer lists (its rule was removed while
 * the scheduler held them). The shaper knows the budgets ({@link TrafficShaper#tenantBudgets()}) and the scheduler the
 * waits ({@code QueueAdmin.tenantWaits()}); {@link #of} is where every view puts the two together.
 *
 * @param budget the shaper's figures, or null for waits without a listed budget
 * @param waiting messages waiting aside for the budget, or null when that is unknown (no scheduler to ask)
 * @since 1.2
 */
public record TenantBudgetLine(String tenant, String site, TenantBudgetStatus budget, Integer waiting) {

    private static final Comparator<TenantBudgetLine> BY_SITE_THEN_TENANT =
            Comparator.comparing(TenantBudgetLine::site).thenComparing(TenantBudgetLine::tenant);

    public TenantBudgetLine {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(site, "site");
    }

    /**
     * Every budget, then the waits no budget is listed for, each part by site and then tenant.
     *
     * @param waits the scheduler's, or null when it is not available
     */
    public static List<TenantBudgetLine> of(List<TenantBudgetStatus> budgets, List<TenantWait> waits) {
        Map<List<String>, Integer> waiting = new HashMap<>();
        if (waits != null) {
            waits.forEach(w -> waiting.put(List.of(w.tenant(), w.site()), w.messages()));
        }
        List<TenantBudgetLine> listed = new ArrayList<>();
        for (TenantBudgetStatus b : budgets) {
            Integer w = waiting.remove(List.of(b.tenant(), b.site()));
            listed.add(new TenantBudgetLine(b.tenant(), b.site(), b, waits == null ? null : w == null ? 0 : w));
        }
        List<TenantBudgetLine> unlisted = new ArrayList<>();
        waiting.forEach((k, n) -> unlisted.add(new TenantBudgetLine(k.get(0), k.get(1), null, n)));
        listed.sort(BY_SITE_THEN_TENANT);
        unlisted.sort(BY_SITE_THEN_TENANT);
        listed.addAll(unlisted);
        return listed;
    }
}
