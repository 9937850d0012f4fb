package dev.sluice.ratelimit;

import java.util.Comparator;
import java.util.List;

/**
 * The tenant rules and the default for tenants no rule matches (null: no limit); replaced whole when one changes.
 */
record TenantBook(List<TenantRule> rules, TenantRule fallback) {

    static final TenantBook NONE = new TenantBook(List.of(), null);

    TenantBook {
        rules = rules.stream().sorted(Comparator.comparing(TenantRule::name)).toList();
    }

    /** The most specific rule for the tenant's traffic to the site; ties go to the first name; null for none. */
    TenantRule resolve(String tenant, String site) {
        String[] hosts = site.split("\\+");
        return RuleBook.mostSpecific(rules, fallback, r -> r.score(tenant, site, hosts));
    }
}
