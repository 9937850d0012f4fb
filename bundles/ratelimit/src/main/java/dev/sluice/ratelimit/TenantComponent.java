package dev.sluice.ratelimit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One tenant rule per factory configuration; the shaper picks the most specific one per tenant and site. */
@Component(service = TenantComponent.class, configurationPid = TenantComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = TenantComponent.Config.class, factory = true)
public final class TenantComponent {

    static final String PID = "dev.sluice.ratelimit.tenant";

    @ObjectClassDefinition(name = "Sluice tenant rule",
            description = "A message rate for a tenant's (or campaign's) traffic to matching sites, on top of the "
                    + "path's limits. The tenant key comes from the traffic shaper's tenantKeys.")
    public @interface Config {
        @AttributeDefinition(name = "Name", description = "Shown in logs.")
        String name() default "";

        @AttributeDefinition(name = "Tenants", description = "Tenant key patterns: exact (acme), *.example.com "
                + "(sender domains), or * for every tenant, each with its own budget.")
        String[] tenants() default {};

        @AttributeDefinition(name = "Sites", description = "Site or destination-domain patterns: exact names, "
                + "*.example.com, or * for every site.")
        String[] sites() default {};

        @AttributeDefinition(name = "MX hosts", description = "MX host patterns, e.g. *.google.com: every site "
                + "with such an MX host.")
        String[] mxHosts() default {};

        @AttributeDefinition(name = "Message rate", description = "Messages of one tenant to one site, from every "
                + "source together, " + ShapingRule.RATE_FORMAT)
        String messageRate() default "100/s";
    }

    private volatile TenantRule rule;

    @Activate
    public TenantComponent(Config config) {
        this.rule = from(config);
    }

    /** Applied in place, as for shaping rules: the shaper swaps the rule in one step. */
    @Modified
    void modified(Config config) {
        this.rule = from(config);
    }

    static TenantRule from(Config c) {
        return TenantRule.of(c.name(), c.tenants(), c.sites(), c.mxHosts(), c.messageRate());
    }

    TenantRule rule() {
        return rule;
    }
}
