package dev.sluice.routing.dns;

import dev.sluice.api.routing.Credentials;
import dev.sluice.api.routing.TlsPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * One static route (a factory configuration): destination domains sent to fixed hosts instead of their
 * MX, e.g. a smarthost. Registered as a service that {@link DnsRouter} tracks dynamically, so adding,
 * changing or deleting a configuration takes effect without restarting the router.
 */
@Component(service = StaticRoute.class, configurationPid = StaticRoute.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = StaticRoute.Config.class, factory = true)
public final class StaticRoute {

    static final String PID = "dev.sluice.routing.static";

    @ObjectClassDefinition(name = "Sluice static route",
            description = "Sends mail for some domains to fixed hosts (a smarthost) instead of their MX hosts.")
    public @interface Config {
        @AttributeDefinition(name = "Name", description = "Route name; the traffic-shaping site is route:<name>. "
                + "Empty: the configuration's PID.")
        String name() default "";

        @AttributeDefinition(name = "Domains", description = "Destination domains: example.com (exact), "
                + "*.example.com (any subdomain, not example.com itself), or * (default route for everything)")
        String[] domains() default {};

        @AttributeDefinition(name = "Hosts", description = "Next hops in order: host, host:port, 192.0.2.1:587 "
                + "or [2001:db8::1]:587 (port 25 when omitted). Names are resolved with A/AAAA, never MX.")
        String[] hosts() default {};

        @AttributeDefinition(name = "TLS", description = "none: never; opportunistic: STARTTLS when offered, "
                + "any certificate; required: STARTTLS or defer, any certificate; verify: STARTTLS with a certificate "
                + "valid for the host, or defer", options = {
                    @Option(label = "none", value = "none"), @Option(label = "opportunistic", value = "opportunistic"),
                    @Option(label = "required", value = "required"), @Option(label = "verify", value = "verify")})
        String tls() default "opportunistic";

        @AttributeDefinition(name = "AUTH user name", description = "SMTP AUTH user for the hosts; empty: no AUTH")
        String username() default "";

        /** Key ".password": the leading dot keeps it out of the service properties anyone can read. */
        @AttributeDefinition(name = "AUTH password", type = AttributeType.PASSWORD,
                description = "SMTP AUTH password (needs a user name); configuration key .password")
        String _password() default "";
    }

    private final String name;
    /** The configuration's PID, by which the router knows that a configured route has been bound. */
    private final String pid;
    private final List<String> domains = new ArrayList<>();
    private final List<HostPort> hosts = new ArrayList<>();
    private final TlsPolicy tls;
    private final Credentials credentials;

    /** @throws IllegalArgumentException naming the configuration key and what is wrong with it */
    @Activate
    public StaticRoute(Config config, Map<String, Object> properties) {
        Object pid = properties.get("service.pid");
        this.pid = pid == null ? "" : pid.toString();
        String n = config.name().isBlank() ? this.pid : config.name().trim();
        if (n.isEmpty() || n.chars().anyMatch(c -> c <= ' ' || c == '+')) {
            throw new IllegalArgumentException(PID + ": name '" + n + "' must be non-empty, without spaces or '+'");
        }
        this.name = n;
        for (String d : items(config.domains())) {
            domains.add(normalisePattern(d));
        }
        for (String h : items(config.hosts())) {
            hosts.add(HostPort.parse(PID + " " + n + ": hosts", h, MxRouter.SMTP_PORT));
        }
        if (domains.isEmpty() || hosts.isEmpty()) {
            throw new IllegalArgumentException(PID + " " + n + ": domains and hosts must both be set");
        }
        this.tls = parseTls(config.tls());
        if (config.username().isBlank() != config._password().isEmpty()) {
            throw new IllegalArgumentException(PID + " " + n + ": username and .password go together");
        }
        this.credentials = config.username().isBlank() ? null
                : new Credentials(config.username().trim(), config._password());
    }

    /**
     * The values of a list key, each also split at commas: a {@code deploy/*.cfg} line {@code hosts=a,b} arrives
     * as one string, and neither a domain nor a host can contain a comma.
     */
    private static List<String> items(String[] values) {
        List<String> items = new ArrayList<>();
        for (String v : values) {
            for (String item : v.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
        }
        return items;
    }

    private String normalisePattern(String pattern) {
        String p = pattern.trim();
        if (p.equals("*") || AddressLiteral.isLiteral(p)) {
            return p.toLowerCase(Locale.ROOT);
        }
        boolean wildcard = p.startsWith("*.");
        try {
            String ascii = Domains.toAscii(wildcard ? p.substring(2) : p);
            return wildcard ? "*." + ascii : ascii;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PID + " " + name + ": domains: '" + pattern
                    + "' is not a domain, *.domain or *", e);
        }
    }

    private TlsPolicy parseTls(String value) {
        try {
            return TlsPolicy.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PID + " " + name + ": tls: '" + value
                    + "' is not one of none, opportunistic, required, verify", e);
        }
    }

    /**
     * How specifically this route names {@code domain}: -1 no match, 0 the default route, then
     * 1 + the labels of a matching wildcard's suffix, and {@link Integer#MAX_VALUE} for an exact match.
     */
    int specificity(String domain) {
        int best = -1;
        for (String p : domains) {
            if (p.equals(domain)) {
                return Integer.MAX_VALUE;
            } else if (p.equals("*")) {
                best = Math.max(best, 0);
            } else if (p.startsWith("*.") && domain.endsWith(p.substring(1))) {
                best = Math.max(best, 1 + (int) p.chars().filter(c -> c == '.').count());
            }
        }
        return best;
    }

    String pid() {
        return pid;
    }

    String name() {
        return name;
    }

    List<HostPort> hosts() {
        return List.copyOf(hosts);
    }

    TlsPolicy tls() {
        return tls;
    }

    Credentials credentials() {
        return credentials;
    }

    @Override
    public String toString() {
        return "StaticRoute[" + name + " " + domains + " -> " + hosts + ", tls " + tls + "]";
    }
}
