package dev.sluice.ratelimit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One egress source (a local address and its EHLO name) per factory configuration. */
@Component(service = SourceComponent.class, configurationPid = SourceComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = SourceComponent.Config.class, factory = true)
public final class SourceComponent {

    static final String PID = "dev.sluice.ratelimit.source";

    @ObjectClassDefinition(name = "Sluice egress source",
            description = "A local address for outbound SMTP, in a weighted pool, with an optional warm-up and "
                    + "sending window.")
    public @interface Config {
        @AttributeDefinition(name = "Name", description = "The source's name in paths, rules and logs.")
        String name() default "";

        @AttributeDefinition(name = "Bind address", description = "Local IP literal; empty lets the OS choose.")
        String bindAddress() default "";

        @AttributeDefinition(name = "EHLO name", description = "Announced in EHLO; should match the address's PTR.")
        String ehloName() default "";

        @AttributeDefinition(name = "Pool", description = "The pool this source belongs to.")
        String pool() default "default";

        @AttributeDefinition(name = "Weight", description = "Share of the pool's traffic, relative to the others."
                + " Range: 1 to " + ShapingRule.MAX_COUNT + ".", min = "1", max = "" + ShapingRule.MAX_COUNT)
        int weight() default 1;

        @AttributeDefinition(name = "Warm-up (messages per site per day)", description = "Comma-separated daily "
                + "budgets for day 1, 2, 3… since the warm-up start; empty = none. Overflow goes to other sources.")
        String warmup() default "";

        @AttributeDefinition(name = "Warm-up start (yyyy-mm-dd, UTC)", description = "Day 1 of the warm-up.")
        String warmupStart() default "";

        @AttributeDefinition(name = "Sender domains", description = "If set, the source carries only mail from "
                + "these envelope-sender domains (exact or *.example.com), and is preferred for it: dedicated IPs.")
        String[] senderDomains() default {};

        @AttributeDefinition(name = "Window start (HH:mm)", description = "The source sends only from this time "
                + "(with sender domains: those senders' sending window); empty = always.")
        String windowStart() default "";

        @AttributeDefinition(name = "Window end (HH:mm)", description = "Sending window end (exclusive); before "
                + "the start it spans midnight.")
        String windowEnd() default "";

        @AttributeDefinition(name = "Window time zone", description = "Time zone of the window, e.g. Europe/Berlin.")
        String windowTimeZone() default "UTC";
    }

    private volatile SourceSpec spec;

    @Activate
    public SourceComponent(Config c) {
        this.spec = from(c);
    }

    /** Applied in place, as for rules: the shaper swaps the source in one step. */
    @Modified
    void modified(Config c) {
        this.spec = from(c);
    }

    private static SourceSpec from(Config c) {
        return SourceSpec.of(c.name(), c.bindAddress(), c.ehloName(), c.pool(), c.weight(), c.warmup(),
                c.warmupStart(), c.senderDomains())
                .withWindow(SendingWindow.parse(c.windowStart(), c.windowEnd(), c.windowTimeZone()));
    }

    SourceSpec spec() {
        return spec;
    }
}
