package dev.sluice.ratelimit;

import dev.sluice.api.ratelimit.EgressSource;
import dev.sluice.api.ratelimit.TrafficShaper;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The {@link TrafficShaper} service. Rules, sources, backoff and tenant rules are separate factory components bound
 * dynamically, and this component's own configuration is applied by {@code @Modified}: a change reshapes live
 * traffic without a restart, which would forget the connections the delivery side still holds permits for. Immediate,
 * so that suspensions and counts outlive a restart of the scheduler, and bad rules are reported at startup.
 */
@Component(service = TrafficShaper.class, configurationPid = ShaperComponent.PID, immediate = true)
@Designate(ocd = ShaperComponent.Config.class)
public final class ShaperComponent extends Shaper {

    static final String PID = "dev.sluice.ratelimit";

    @ObjectClassDefinition(name = "Sluice traffic shaper",
            description = "Defaults for paths no rule matches, the default egress source, tenant keys, built-in "
                    + "backoff rules and the Redis that shares budgets between nodes.")
    public @interface Config {
        @AttributeDefinition(name = "Default max connections", description = "Concurrent connections per path, "
                + "when no rule matches. Range: 1 to " + ShapingRule.MAX_COUNT + ".",
                min = "1", max = "" + ShapingRule.MAX_COUNT)
        int defaultMaxConnections() default 20;

        @AttributeDefinition(name = "Default connection rate", description = "New connections per path, "
                + ShapingRule.RATE_FORMAT)
        String defaultConnectionRate() default "600/min";

        @AttributeDefinition(name = "Default max messages per connection", description = "Then reconnect."
                + " Range: 1 to " + ShapingRule.MAX_COUNT + ".",
                min = "1", max = "" + ShapingRule.MAX_COUNT)
        int defaultMaxMessagesPerConnection() default 100;

        @AttributeDefinition(name = "Default message rate", description = "Messages per path, "
                + ShapingRule.RATE_FORMAT)
        String defaultMessageRate() default "1000/s";

        @AttributeDefinition(name = "Default max recipients per transaction", description = "RFC 5321 minimum: 100."
                + " Range: 1 to " + ShapingRule.MAX_COUNT + ".",
                min = "1", max = "" + ShapingRule.MAX_COUNT)
        int defaultMaxRecipientsPerTransaction() default 100;

        @AttributeDefinition(name = "Default source name", description = "Used when no source is configured.")
        String defaultSourceName() default "default";

        @AttributeDefinition(name = "Default bind address", description = "IP literal; empty lets the OS choose.")
        String defaultBindAddress() default "";

        @AttributeDefinition(name = "Default EHLO name", description = "A host name or address literal; empty: "
                + "this host's name.")
        String defaultEhloName() default "";

        @AttributeDefinition(name = "Tenant keys", description = "Where a message's tenant (or campaign) key for "
                + "tenant rules comes from, tried in order: header:FIELD (e.g. header:X-Tenant, header:X-Campaign) or "
                + "senderDomain (the envelope sender's domain); empty = no tenant keys.")
        String[] tenantKeys() default {};

        @AttributeDefinition(name = "Default tenant message rate", description = "Messages of one tenant to one "
                + "site when no tenant rule matches; empty = no limit. " + ShapingRule.RATE_FORMAT)
        String defaultTenantMessageRate() default "";

        @AttributeDefinition(name = "Built-in backoff rules", description = "Use the shipped rules for known "
                + "provider deferrals (421 too many connections, Yahoo TS0x, Gmail 4.7.28, Microsoft, Comcast).")
        boolean builtinBackoffRules() default true;

        @AttributeDefinition(name = "Redis URI", description = "e.g. redis://10.0.0.5:6379/0 to share budgets and "
                + "suspensions between nodes; empty = this node only.")
        String redisUri() default "";

        @AttributeDefinition(name = "Expected nodes", description = "Nodes sharing the budgets: while Redis is "
                + "unreachable each takes this share of every rate. Range: 1 to " + ShaperSetup.MAX_NODES + ".",
                min = "1",
                max = "" + ShaperSetup.MAX_NODES)
        int expectedNodes() default 1;

        @AttributeDefinition(name = "Redis timeout (milliseconds)", description = "Per command, then local share."
                + " Range: 1 to " + ShaperSetup.MAX_TIMEOUT_MILLIS + ".",
                min = "1", max = "" + ShaperSetup.MAX_TIMEOUT_MILLIS)
        int redisTimeoutMillis() default 250;

        @AttributeDefinition(name = "Redis retry (seconds)", description = "How long to stay on local shares "
                + "before trying Redis again. Range: 1 to " + ShaperSetup.MAX_RETRY_SECONDS + ".", min = "1",
                max = "" + ShaperSetup.MAX_RETRY_SECONDS)
        int redisRetrySeconds() default 5;
    }

    private final Bindings bindings;
    private volatile String gateIdentity;

    @Activate
    public ShaperComponent(Config config) {
        this(config, Clock.systemUTC());
    }

    ShaperComponent(Config config, Clock clock) {
        super(clock, ShaperSetup.gate(config, clock), new RuleBook(List.of(), ShaperSetup.fallbackRule(config)),
                new SourceSelector(ShaperSetup.defaultSource(config), ThreadLocalRandom::current),
                new Backoff(List.of(), List.of()));
        this.bindings = new Bindings(this, ShaperSetup.fallbackRule(config), ShaperSetup.tenantFallback(config),
                config.builtinBackoffRules());
        this.gateIdentity = ShaperSetup.gateIdentity(config);
        setTenantKeys(TenantKeys.parse(config.tenantKeys()));
    }

    @Modified
    void modified(Config config) {
        // everything is checked before anything is applied: a bad value leaves the running setup as it was
        ShapingRule fallback = ShaperSetup.fallbackRule(config);
        TenantRule tenantFallback = ShaperSetup.tenantFallback(config);
        TenantKeys tenantKeys = TenantKeys.parse(config.tenantKeys());
        EgressSource source = ShaperSetup.defaultSource(config);
        String identity = ShaperSetup.gateIdentity(config);
        // only a new Redis setting replaces the buckets; other changes keep them, so no burst is granted anew
        RateGate next = identity.equals(gateIdentity) ? null : ShaperSetup.gate(config, clock());
        if (next != null) {
            setGate(next).close();
            gateIdentity = identity;
        }
        sources().setFallback(source);
        setTenantKeys(tenantKeys);
        bindings.configure(fallback, tenantFallback, config.builtinBackoffRules());
    }

    @Deactivate
    void deactivate() {
        setGate(new LocalRateGate()).close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "addRule", unbind = "removeRule")
    void addRule(RuleComponent rule) {
        bindings.rule(rule, rule.rule());
    }

    void removeRule(RuleComponent rule) {
        bindings.rule(rule, null);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "addSource", unbind = "removeSource")
    void addSource(SourceComponent source) {
        bindings.source(source, source.spec());
    }

    void removeSource(SourceComponent source) {
        bindings.source(source, null);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "addBackoff", unbind = "removeBackoff")
    void addBackoff(BackoffComponent rule) {
        bindings.backoff(rule, rule.rule());
    }

    void removeBackoff(BackoffComponent rule) {
        bindings.backoff(rule, null);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "addTenant", unbind = "removeTenant")
    void addTenant(TenantComponent rule) {
        bindings.tenant(rule, rule.rule());
    }

    void removeTenant(TenantComponent rule) {
        bindings.tenant(rule, null);
    }
}
