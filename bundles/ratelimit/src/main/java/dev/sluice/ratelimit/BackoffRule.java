package dev.sluice.ratelimit;

import dev.sluice.api.config.ConfigCheck;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What to do when a path keeps getting a kind of reply: {@code triggerCount} replies whose text
 * ("code enhanced text") matches {@code pattern} within {@code triggerWindow} suspend the path for
 * {@code duration}, or throttle it (halve its connections and message rate) for {@code duration}, after which
 * it recovers by {@code recoveryConnections} and {@code recoveryRatePercent} of the rule's rate per interval.
 * With {@code sites}, only paths whose site (or one of its MX hosts) matches count: provider-specific rules.
 */
record BackoffRule(String name, Pattern pattern, Action action, int triggerCount, Duration triggerWindow,
                   Duration duration, Duration recoveryInterval, int recoveryConnections, int recoveryRatePercent,
                   List<SitePattern> sites) {

    enum Action { SUSPEND, THROTTLE }

    /** A week: the longest window, hold or recovery step a rule may have (the MetaType's max). */
    static final int MAX_MINUTES = 10_080;

    static BackoffRule of(String name, String pattern, String action, int triggerCount, int triggerWindowMinutes,
                          int durationMinutes, int recoveryIntervalMinutes, int recoveryConnections,
                          int recoveryRatePercent, String... sites) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: a backoff rule needs a name");
        }
        if (pattern == null || pattern.isBlank()) {
            // an empty expression is found in every reply: the rule would act on every deferral
            throw new IllegalArgumentException("pattern: backoff rule '" + name.trim() + "' needs a pattern");
        }
        Pattern p;
        try {
            p = Pattern.compile(pattern, Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("pattern: '" + pattern + "' is not a regular expression: "
                    + e.getMessage(), e);
        }
        Action a;
        try {
            a = Action.valueOf(action.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("action: '" + action + "' is neither suspend nor throttle", e);
        }
        return new BackoffRule(name.trim(), p, a, ShapingRule.positive("triggerCount", triggerCount),
                Duration.ofMinutes(ConfigCheck.between("triggerWindowMinutes", triggerWindowMinutes, 1, MAX_MINUTES)),
                Duration.ofMinutes(ConfigCheck.between("durationMinutes", durationMinutes, 1, MAX_MINUTES)),
                Duration.ofMinutes(ConfigCheck.between("recoveryIntervalMinutes", recoveryIntervalMinutes, 1,
                        MAX_MINUTES)),
                ShapingRule.positive("recoveryConnections", recoveryConnections),
                ConfigCheck.between("recoveryRatePercent", recoveryRatePercent, 1, 100),
                ShapingRule.patterns("sites", sites));
    }

    /**
     * The deferrals the large providers are known to send when they want less traffic (KumoMTA and PowerMTA ship
     * similar lists). Generic texts count only on 4xx; provider codes are specific enough on their own.
     */
    static List<BackoffRule> builtins() {
        return List.of(
                of("too-many-connections", "^4\\d\\d .*(too many (connections|concurrent)|connection limit)",
                        "throttle", 2, 5, 10, 5, 1, 10),
                of("rate-limited", "^4\\d\\d .*(rate limit|rate-limit|too many messages|try again later"
                        + "|temporarily deferred)", "throttle", 2, 5, 15, 5, 1, 10),
                of("gmail-rate", "4\\.7\\.28|unusual rate", "throttle", 2, 5, 30, 10, 1, 10),
                of("microsoft-rate", "S3150|4\\.7\\.650", "throttle", 2, 5, 30, 10, 1, 10),
                of("comcast-rate", "RL0000", "throttle", 2, 5, 30, 10, 1, 10),
                of("yahoo-deferral", "\\[?TS0[1-4]\\]?|TSS04", "suspend", 2, 5, 30, 10, 1, 10),
                // RFC 3463 4.4.1 no answer / 4.4.2 bad connection, as the SMTP client reports its own failures:
                // a dead destination is left alone for a while instead of being hammered (Postfix does the same)
                of("unreachable", "^4\\d\\d 4\\.4\\.[12] ", "suspend", 5, 5, 5, 5, 1, 10));
    }

    /** True without {@code sites}; else when the site's name or one of its MX hosts matches one of them. */
    boolean appliesTo(String site) {
        if (sites.isEmpty() || sites.stream().anyMatch(p -> p.matches(site))) {
            return true;
        }
        for (String host : site.split("\\+")) {
            if (sites.stream().anyMatch(p -> p.matches(host))) {
                return true;
            }
        }
        return false;
    }

    boolean suspends() {
        return action == Action.SUSPEND;
    }

    boolean matches(String replyText) {
        return pattern.matcher(replyText).find();
    }
}
