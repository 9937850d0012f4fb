package dev.sluice.ratelimit;

import dev.sluice.api.config.ConfigCheck;
import dev.sluice.api.ratelimit.PathLimits;
import dev.sluice.api.ratelimit.Rate;
import java.util.ArrayList;
import java.util.List;

/**
 * Limits for the paths whose site matches {@code sites} (the whole site name, e.g. a domain) or whose site has an
 * MX host matching {@code mxHosts} (a site is its MX hosts joined by '+'), optionally only from one source.
 *
 * @param source pattern on the egress source name, or null for every source
 * @param pool the egress pool {@code chooseSource} uses for these sites, or empty for the default pool
 */
record ShapingRule(String name, List<SitePattern> sites, List<SitePattern> mxHosts, SitePattern source,
                   PathLimits limits, SendingWindow window, String pool) {

    /** Builds a rule from configuration values, naming the key of the first bad one. */
    static ShapingRule of(String name, String[] sites, String[] mxHosts, String source, int maxConnections,
                          String connectionRate, int maxMessagesPerConnection, String messageRate,
                          int maxRecipientsPerTransaction, String windowStart, String windowEnd, String windowTimeZone,
                          String pool) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: a rule needs a name");
        }
        List<SitePattern> s = patterns("sites", sites);
        List<SitePattern> m = patterns("mxHosts", mxHosts);
        if (s.isEmpty() && m.isEmpty()) {
            throw new IllegalArgumentException("sites: rule '" + name + "' matches nothing (give sites or mxHosts)");
        }
        PathLimits limits = new PathLimits(positive("maxConnections", maxConnections), rate("connectionRate", connectionRate),
                positive("maxMessagesPerConnection", maxMessagesPerConnection), rate("messageRate", messageRate),
                positive("maxRecipientsPerTransaction", maxRecipientsPerTransaction));
        SitePattern src = source == null || source.isBlank() ? null : SitePattern.parse("source", source);
        return new ShapingRule(name.trim(), s, m, src, limits, SendingWindow.parse(windowStart, windowEnd, windowTimeZone),
                pool == null ? "" : pool.trim());
    }

    /** More than this per period is no limit at all, and keeps the arithmetic of buckets and recovery exact. */
    static final long MAX_RATE_COUNT = 1_000_000_000L;
    static final int MAX_COUNT = 1_000_000;
    static final String RATE_FORMAT = "COUNT/UNIT with the unit s, min, h or d, e.g. 100/s or 6000/h; a count of 1 to "
            + MAX_RATE_COUNT + ".";

    static Rate rate(String key, String text) {
        Rate r;
        try {
            r = Rate.parse(text);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
        if (r.permits() > MAX_RATE_COUNT) {
            throw new IllegalArgumentException(key + ": rate '" + text + "' allows more than " + MAX_RATE_COUNT
                    + " per period");
        }
        return r;
    }

    /** A count: 1 to {@link #MAX_COUNT}, the MetaType's range of every count key. */
    static int positive(String key, int value) {
        return ConfigCheck.between(key, value, 1, MAX_COUNT);
    }

    static List<SitePattern> patterns(String key, String[] raw) {
        List<SitePattern> out = new ArrayList<>();
        for (String r : raw == null ? new String[0] : raw) {
            // the web console hands a list as one comma-separated string when it has one field
            for (String part : r.split(",")) {
                if (!part.isBlank()) {
                    out.add(SitePattern.parse(key, part));
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * How well this rule fits; -1 when it does not. A pinned source only breaks ties between equally specific sites,
     * so a rule for {@code gmail.com} from any source still beats one for {@code *} from this source.
     */
    int score(String site, String sourceName) {
        return score(site, site.split("\\+"), sourceName);
    }

    /** @param hosts the site's MX hosts, split once by the caller for all rules */
    int score(String site, String[] hosts, String sourceName) {
        if (source != null && (sourceName == null || !source.matches(sourceName))) {
            return -1;
        }
        int best = -1;
        for (SitePattern p : sites) {
            if (p.matches(site)) {
                best = Math.max(best, p.specificity());
            }
        }
        if (!mxHosts.isEmpty()) {
            for (String host : hosts) {
                for (SitePattern p : mxHosts) {
                    if (p.matches(host)) {
                        best = Math.max(best, p.specificity());
                    }
                }
            }
        }
        return best < 0 ? -1 : best * 2 + (source == null || source.any() ? 0 : 1);
    }
}
