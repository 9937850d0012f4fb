package dev.sluice.ratelimit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** One adaptive-backoff rule per factory configuration; a name equal to a built-in rule's replaces it. */
@Component(service = BackoffComponent.class, configurationPid = BackoffComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = BackoffComponent.Config.class, factory = true)
public final class BackoffComponent {

    static final String PID = "dev.sluice.ratelimit.backoff";

    @ObjectClassDefinition(name = "Sluice backoff rule",
            description = "Replies matching the pattern suspend or throttle the path, which then recovers gradually.")
    public @interface Config {
        @AttributeDefinition(name = "Name", description = "Shown in suspensions and logs. Built-ins: "
                + "too-many-connections, rate-limited, gmail-rate, microsoft-rate, comcast-rate, yahoo-deferral, unreachable.")
        String name() default "";

        @AttributeDefinition(name = "Pattern", description = "Regular expression (case-insensitive) found in "
                + "\"code enhanced-code text\" of a reply, e.g. ^421 4\\.7\\.0 .*too many connections")
        String pattern() default "";

        @AttributeDefinition(name = "Sites", description = "Only for sites whose name or an MX host matches, "
                + "e.g. *.yahoodns.net; empty for every site.")
        String[] sites() default {};

        @AttributeDefinition(name = "Action", description = "suspend: no traffic for the duration; throttle: "
                + "halve connections and message rate, then recover.", options = {
                        @Option(label = "throttle", value = "throttle"), @Option(label = "suspend", value = "suspend")})
        String action() default "throttle";

        @AttributeDefinition(name = "Trigger count", description = "Matches needed within the trigger window."
                + " Range: 1 to " + ShapingRule.MAX_COUNT + ".", min = "1", max = "" + ShapingRule.MAX_COUNT)
        int triggerCount() default 2;

        @AttributeDefinition(name = "Trigger window (minutes)", description = "Window for counting matches."
                + " Range: 1 to " + BackoffRule.MAX_MINUTES + ".", min = "1", max = "" + BackoffRule.MAX_MINUTES)
        int triggerWindowMinutes() default 5;

        @AttributeDefinition(name = "Duration (minutes)", description = "Suspension, or hold of the reduced limits."
                + " Range: 1 to " + BackoffRule.MAX_MINUTES + ".", min = "1", max = "" + BackoffRule.MAX_MINUTES)
        int durationMinutes() default 15;

        @AttributeDefinition(name = "Recovery interval (minutes)", description = "Time between recovery steps."
                + " Range: 1 to " + BackoffRule.MAX_MINUTES + ".", min = "1", max = "" + BackoffRule.MAX_MINUTES)
        int recoveryIntervalMinutes() default 5;

        @AttributeDefinition(name = "Recovery connections", description = "Connections added per recovery step."
                + " Range: 1 to " + ShapingRule.MAX_COUNT + ".", min = "1", max = "" + ShapingRule.MAX_COUNT)
        int recoveryConnections() default 1;

        @AttributeDefinition(name = "Recovery rate (percent)", description = "Share of the rule's message rate "
                + "added per recovery step. Range: 1 to 100.", min = "1", max = "100")
        int recoveryRatePercent() default 10;
    }

    private volatile BackoffRule rule;

    @Activate
    public BackoffComponent(Config c) {
        this.rule = from(c);
    }

    /** Applied in place, as for rules: the shaper swaps the rule in one step. */
    @Modified
    void modified(Config c) {
        this.rule = from(c);
    }

    private static BackoffRule from(Config c) {
        return BackoffRule.of(c.name(), c.pattern(), c.action(), c.triggerCount(), c.triggerWindowMinutes(),
                c.durationMinutes(), c.recoveryIntervalMinutes(), c.recoveryConnections(), c.recoveryRatePercent(),
                c.sites());
    }

    BackoffRule rule() {
        return rule;
    }
}
