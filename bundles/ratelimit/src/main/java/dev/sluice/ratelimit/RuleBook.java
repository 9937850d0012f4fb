package dev.sluice.ratelimit;

import java.util.Comparator;
import java.util.List;

/** An immutable set of shaping rules; a new one replaces the old whenever a rule changes. */
record RuleBook(List<ShapingRule> rules, ShapingRule fallback) {

    RuleBook {
        rules = rules.stream().sorted(Comparator.comparing(ShapingRule::name)).toList();
    }

    /** The most specific rule for the path; ties go to the first name in alphabetical order, so it is stable. */
    ShapingRule resolve(String site, String source) {
        ShapingRule best = fallback;
        int bestScore = -1;
        String[] hosts = site.split("\\+");
        for (ShapingRule r : rules) {
            int s = r.score(site, hosts, source);
            if (s > bestScore) {
                best = r;
                bestScore = s;
            }
        }
        return best;
    }
}
