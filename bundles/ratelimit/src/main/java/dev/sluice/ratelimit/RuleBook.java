package dev.sluice.ratelimit;

import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

/** An immutable set of shaping rules; a new one replaces the old whenever a rule changes. */
record RuleBook(List<ShapingRule> rules, ShapingRule fallback) {

    RuleBook {
        rules = rules.stream().sorted(Comparator.comparing(ShapingRule::name)).toList();
    }

    /** The most specific rule for the path; ties go to the first name in alphabetical order, so it is stable. */
    ShapingRule resolve(String site, String source) {
        String[] hosts = site.split("\\+");
        return mostSpecific(rules, fallback, r -> r.score(site, hosts, source));
    }

    /**
     * The rule with the highest score (a negative one does not fit), the first in {@code rules}' order on a tie;
     * {@code fallback} when none fits.
     */
    static <R> R mostSpecific(List<R> rules, R fallback, ToLongFunction<R> score) {
        R best = fallback;
        long bestScore = -1;
        for (R r : rules) {
            long s = score.applyAsLong(r);
            if (s > bestScore) {
                best = r;
                bestScore = s;
            }
        }
        return best;
    }
}
