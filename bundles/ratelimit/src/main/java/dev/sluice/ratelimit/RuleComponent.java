package dev.sluice.ratelimit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One shaping rule per factory configuration; the shaper collects them all and picks the most specific per path. */
@Component(service = RuleComponent.class, configurationPid = RuleComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = RuleComponent.Config.class, factory = true)
public final class RuleComponent {

    static final String PID = "dev.sluice.ratelimit.rule";

    @ObjectClassDefinition(name = "Sluice traffic-shaping rule",
            description = "Outbound limits for the sites that match; the most specific matching rule wins.")
    public @interface Config {
        @AttributeDefinition(name = "Name", description = "Shown in status and logs.")
        String name() default "";

        @AttributeDefinition(name = "Sites", description = "Site or destination-domain patterns: exact names, "
                + "*.example.com, or * for every site.")
        String[] sites() default {};

        @AttributeDefinition(name = "MX hosts", description = "MX host patterns, e.g. *.google.com: every site "
                + "with such an MX host shares this rule.")
        String[] mxHosts() default {};

        @AttributeDefinition(name = "Source", description = "Egress source name pattern; empty for every source.")
        String source() default "";

        @AttributeDefinition(name = "Max connections", description = "Concurrent connections per path."
                + " Range: 1 to " + ShapingRule.MAX_COUNT + ".", min = "1", max = "" + ShapingRule.MAX_COUNT)
        int maxConnections() default 20;

        @AttributeDefinition(name = "Connection rate", description = "New connections per path, "
                + ShapingRule.RATE_FORMAT)
        String connectionRate() default "600/min";

        @AttributeDefinition(name = "Max messages per connection", description = "Then the connection is closed."
                + " Range: 1 to " + ShapingRule.MAX_COUNT + ".", min = "1", max = "" + ShapingRule.MAX_COUNT)
        int maxMessagesPerConnection() default 100;

        @AttributeDefinition(name = "Message rate", description = "Messages per path, "
                + ShapingRule.RATE_FORMAT)
        String messageRate() default "1000/s";

        @AttributeDefinition(name = "Max recipients per transaction", description = "RCPTs in one MAIL transaction."
                + " Range: 1 to " + ShapingRule.MAX_COUNT + ".", min = "1", max = "" + ShapingRule.MAX_COUNT)
        int maxRecipientsPerTransaction() default 100;

        @AttributeDefinition(name = "Window start (HH:mm)", description = "Sending window start; empty = always.")
        String windowStart() default "";

        @AttributeDefinition(name = "Window end (HH:mm)", description = "Sending window end (exclusive); before "
                + "the start it spans midnight.")
        String windowEnd() default "";

        @AttributeDefinition(name = "Window time zone", description = "Time zone of the window, e.g. Europe/Berlin.")
        String windowTimeZone() default "UTC";

        @AttributeDefinition(name = "Egress pool", description = "Pool chooseSource uses for these sites; empty "
                + "for the pool called default.")
        String pool() default "";
    }

    private volatile ShapingRule rule;

    @Activate
    public RuleComponent(Config config) {
        this.rule = from(config);
    }

    /**
     * A changed configuration is applied in place: the shaper's {@code updated} callback then swaps the rule in one
     * step, where deactivation would leave a moment with no rule (the default's 20 connections) in between.
     */
    @Modified
    void modified(Config config) {
        this.rule = from(config);
    }

    static ShapingRule from(Config c) {
        return ShapingRule.of(c.name(), c.sites(), c.mxHosts(), c.source(), c.maxConnections(), c.connectionRate(),
                c.maxMessagesPerConnection(), c.messageRate(), c.maxRecipientsPerTransaction(), c.windowStart(),
                c.windowEnd(), c.windowTimeZone(), c.pool());
    }

    ShapingRule rule() {
        return rule;
    }
}
