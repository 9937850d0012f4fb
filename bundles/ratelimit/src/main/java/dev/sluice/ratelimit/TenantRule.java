package dev.sluice.ratelimit;

import dev.sluice.api.ratelimit.Rate;
import java.util.List;

/**
 * A message rate for the traffic of the tenants matching {@code tenants} to the sites matching {@code sites} or
 * {@code mxHosts}, on top of the path's own limits: each (tenant, site) has its own bucket, whatever the source.
 */
record TenantRule(String name, List<SitePattern> tenants, List<SitePattern> sites, List<SitePattern> mxHosts,
                  Rate messageRate) {

    static TenantRule of(String name, String[] tenants, String[] sites, String[] mxHosts, String messageRate) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: a tenant rule needs a name");
        }
        List<SitePattern> t = ShapingRule.patterns("tenants", tenants);
        if (t.isEmpty()) {
            throw new IllegalArgumentException("tenants: tenant rule '" + name.trim() + "' names no tenant (e.g. acme, "
                    + "*.example.com or *)");
        }
        List<SitePattern> s = ShapingRule.patterns("sites", sites);
        List<SitePattern> m = ShapingRule.patterns("mxHosts", mxHosts);
        if (s.isEmpty() && m.isEmpty()) {
            throw new IllegalArgumentException("sites: tenant rule '" + name.trim() + "' matches no site (give sites "
                    + "or mxHosts; * for every site)");
        }
        return new TenantRule(name.trim(), t, s, m, ShapingRule.rate("messageRate", messageRate));
    }

    /** Every tenant to every site: the shaper's {@code defaultTenantMessageRate}. */
    static TenantRule fallback(Rate rate) {
        SitePattern any = SitePattern.parse("tenants", "*");
        return new TenantRule("default", List.of(any), List.of(any), List.of(), rate);
    }

    /**
     * How well this rule fits; -1 when it does not. The tenant pattern ranks first (a rule for {@code acme} beats one
     * for {@code *}, whatever their sites), then the site pattern as for shaping rules.
     *
     * @param hosts the site's MX hosts, split once by the caller for all rules
     */
    long score(String tenant, String site, String[] hosts) {
        long t = best(tenants, tenant);
        if (t < 0) {
            return -1;
        }
        long s = best(sites, site);
        for (String host : mxHosts.isEmpty() ? new String[0] : hosts) {
            s = Math.max(s, best(mxHosts, host));
        }
        return s < 0 ? -1 : t * 1_000_000L + s;
    }

    private static long best(List<SitePattern> patterns, String name) {
        long best = -1;
        for (SitePattern p : patterns) {
            if (p.matches(name)) {
                best = Math.max(best, p.specificity());
            }
        }
        return best;
    }
}
