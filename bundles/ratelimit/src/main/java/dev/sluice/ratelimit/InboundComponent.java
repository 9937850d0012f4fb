package dev.sluice.ratelimit;

import dev.sluice.api.config.ConfigCheck;
import dev.sluice.api.ratelimit.InboundLimiter;
import java.time.Clock;
import java.time.Duration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The {@link InboundLimiter} service for the SMTP listener. Immediate, so that lockouts outlive a restart of the
 * listener; a configuration change restarts it with empty counters.
 */
@Component(service = InboundLimiter.class, configurationPid = InboundComponent.PID, immediate = true)
@Designate(ocd = InboundComponent.Config.class)
public final class InboundComponent extends Inbound {

    static final String PID = "dev.sluice.ratelimit.inbound";

    @ObjectClassDefinition(name = "Sluice inbound limits",
            description = "Per-client limits at connect, MAIL, RCPT and AUTH.")
    public @interface Config {
        @AttributeDefinition(name = "Max connections per IP", description = "Concurrent; else 421 4.7.0."
                + " Range: 1 to " + ShapingRule.MAX_COUNT + ".", min = "1", max = "" + ShapingRule.MAX_COUNT)
        int maxConnectionsPerIp() default 20;

        @AttributeDefinition(name = "Connection rate per IP", description = "New connections, e.g. 60/min; "
                + "else 421 4.7.0.")
        String connectionRatePerIp() default "60/min";

        @AttributeDefinition(name = "Message rate per client", description = "MAIL commands per authenticated "
                + "user, else per IP, e.g. 120/min; else 450 4.7.1.")
        String messageRatePerClient() default "120/min";

        @AttributeDefinition(name = "Recipient rate per client", description = "RCPT commands per authenticated "
                + "user, else per IP, e.g. 1000/min; else 452 4.5.3.")
        String recipientRatePerClient() default "1000/min";

        @AttributeDefinition(name = "Max AUTH failures", description = "Failures per IP within the window that "
                + "lock it out. Range: 1 to " + ShapingRule.MAX_COUNT + ".",
                min = "1", max = "" + ShapingRule.MAX_COUNT)
        int maxAuthFailures() default 5;

        @AttributeDefinition(name = "AUTH failure window (minutes)", description = "Window for counting failures."
                + " Range: 1 to " + BackoffRule.MAX_MINUTES + ".", min = "1", max = "" + BackoffRule.MAX_MINUTES)
        int authFailureWindowMinutes() default 10;

        @AttributeDefinition(name = "AUTH lockout (minutes)", description = "How long AUTH is refused (454 4.7.0)."
                + " Range: 1 to " + BackoffRule.MAX_MINUTES + ".", min = "1", max = "" + BackoffRule.MAX_MINUTES)
        int authLockoutMinutes() default 15;

        @AttributeDefinition(name = "Exempt networks", description = "CIDR blocks without limits (AUTH lockout "
                + "still applies), e.g. 10.0.0.0/8 for the sending applications.")
        String[] exemptNetworks() default {};
    }

    @Activate
    public InboundComponent(Config config) {
        this(config, Clock.systemUTC());
    }

    InboundComponent(Config c, Clock clock) {
        super(clock, limits(c));
    }

    static Limits limits(Config c) {
        return new Limits(ShapingRule.positive("maxConnectionsPerIp", c.maxConnectionsPerIp()),
                ShapingRule.rate("connectionRatePerIp", c.connectionRatePerIp()),
                ShapingRule.rate("messageRatePerClient", c.messageRatePerClient()),
                ShapingRule.rate("recipientRatePerClient", c.recipientRatePerClient()),
                ShapingRule.positive("maxAuthFailures", c.maxAuthFailures()),
                Duration.ofMinutes(ConfigCheck.between("authFailureWindowMinutes", c.authFailureWindowMinutes(), 1,
                        BackoffRule.MAX_MINUTES)),
                Duration.ofMinutes(ConfigCheck.between("authLockoutMinutes", c.authLockoutMinutes(), 1,
                        BackoffRule.MAX_MINUTES)),
                Networks.parse("exemptNetworks", c.exemptNetworks()));
    }
}
