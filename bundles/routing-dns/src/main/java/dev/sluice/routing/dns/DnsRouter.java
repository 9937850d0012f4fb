package dev.sluice.routing.dns;

import dev.sluice.api.metrics.Metrics;
import dev.sluice.api.routing.Route;
import dev.sluice.api.routing.Router;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntUnaryOperator;
import java.util.stream.Collectors;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The {@link Router}: static routes first (most specific match), then address literals, then DNS MX.
 * Lookups use dnsjava's asynchronous API, so no thread waits for an answer; answers are processed on
 * {@link RouterRuntime}'s two threads.
 */
// Immediate: a bad configuration is reported when it is applied, not at the first routed message.
@Component(service = Router.class, configurationPid = DnsRouter.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true)
@Designate(ocd = DnsRouter.Config.class)
public final class DnsRouter implements Router {

    static final String PID = "dev.sluice.routing.dns";
    private static final Logger LOG = LoggerFactory.getLogger(DnsRouter.class);
    private static final Duration STATIC_ROUTES_PATIENCE = Duration.ofSeconds(10);

    // Field injection, not the constructor: static routes come and go at runtime and DS swaps the list.
    @Reference(service = StaticRoute.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile List<StaticRoute> staticRoutes = List.of();

    @ObjectClassDefinition(name = "Sluice DNS routing",
            description = "Next hops by DNS MX (RFC 5321 §5, RFC 7505) with a TTL cache; static routes are "
                    + "separate factory configurations (dev.sluice.routing.static).")
    public @interface Config {
        @AttributeDefinition(name = "Resolvers", description = "Recursive DNS resolvers as ip, ip:port or "
                + "[ipv6]:port, tried in order. Empty: the system's (/etc/resolv.conf).")
        String[] resolvers() default {};

        @AttributeDefinition(name = "Timeout per attempt (ms)", description = "How long one query to one "
                + "resolver may take before it counts as failed. Range: 1 to 600000.", min = "1", max = "600000")
        int timeoutMillis() default 5000;

        @AttributeDefinition(name = "Retries", description = "Further attempts per resolver after the first. "
                + "Range: 0 to 10.", min = "0", max = "10")
        int retries() default 1;

        @AttributeDefinition(name = "Maximum MX hosts", description = "MX hosts put into a route (each may "
                + "give several addresses). Range: 1 to 100.", min = "1", max = "100")
        int maxMxHosts() default 5;

        @AttributeDefinition(name = "Address families", description = "ipv4-first, ipv6-first, ipv4-only or "
                + "ipv6-only: which address records are used and which are tried first", options = {
                    @Option(label = "IPv4 first", value = "ipv4-first"),
                    @Option(label = "IPv6 first", value = "ipv6-first"),
                    @Option(label = "IPv4 only", value = "ipv4-only"),
                    @Option(label = "IPv6 only", value = "ipv6-only")})
        String addressFamilies() default "ipv4-first";

        @AttributeDefinition(name = "Cache size (entries)", description = "DNS answers kept; 0 disables the cache. "
                + "Range: 0 to 10000000.", min = "0", max = "10000000")
        int cacheMaxEntries() default 10000;

        @AttributeDefinition(name = "Maximum cache TTL (s)", description = "Upper bound for any record's TTL. "
                + "Range: 0 to 604800 (a week).", min = "0", max = "604800")
        int cacheMaxTtlSeconds() default 3600;

        @AttributeDefinition(name = "Maximum negative cache TTL (s)", description = "Upper bound for caching "
                + "NXDOMAIN and no-data answers (their TTL comes from the zone's SOA). Range: 0 to 86400 (a day).",
                min = "0", max = "86400")
        int negativeCacheMaxTtlSeconds() default 300;

        @AttributeDefinition(name = "Failure cache (s)", description = "How long a SERVFAIL or time-out is "
                + "remembered before asking again (RFC 2308 §7: at most 300); 0: not at all. Range: 0 to 300.",
                min = "0", max = "300")
        int failureCacheSeconds() default 30;

        @AttributeDefinition(name = "Local names", description = "Host names of this Sluice: an MX naming one "
                + "of them is a mail loop (5.4.6)")
        String[] localNames() default {};

        @AttributeDefinition(name = "Local addresses", description = "IP addresses of this Sluice: an MX "
                + "resolving to one of them is a mail loop (5.4.6)")
        String[] localAddresses() default {};
    }

    private final RouterRuntime runtime;
    private final DnsCache cache;
    private final LoopGuard loops;
    private final MxRouter mx;
    private final StaticRouter statics;
    private final Map<CompletableFuture<Route>, String> pending = new ConcurrentHashMap<>();
    private final StaticRoutesGate gate;
    private final AtomicReference<DnsTimings> timings = new AtomicReference<>(DnsTimings.NONE);
    private volatile boolean closed;

    /** ConfigurationAdmin tells which static routes must be bound before the first route is answered. */
    @Activate
    public DnsRouter(Config config,
                     @Reference(cardinality = ReferenceCardinality.OPTIONAL) ConfigurationAdmin configurations) {
        this(config, Clock.systemUTC(), bound -> ThreadLocalRandom.current().nextInt(bound),
                staticRoutePids(configurations), STATIC_ROUTES_PATIENCE);
    }

    DnsRouter(Config config, Clock clock, IntUnaryOperator random) {
        this(config, clock, random, Set.of(), STATIC_ROUTES_PATIENCE);
    }

    /** @throws IllegalArgumentException naming the configuration key and the problem */
    DnsRouter(Config config, Clock clock, IntUnaryOperator random, Set<String> expectedStaticRoutes,
              Duration patience) {
        Settings s = Settings.check(config);
        this.loops = new LoopGuard(config.localNames(), config.localAddresses());
        this.runtime = new RouterRuntime(config.resolvers(), Duration.ofMillis(s.timeoutMillis()), s.retries());
        this.cache = new DnsCache(clock, s.cacheMaxEntries());
        DnsLookup lookup = new DnsLookup(runtime.resolver(), runtime.executor(), cache, s.ttlLimits(), timings::get);
        HostResolver hosts = new HostResolver(lookup, s.families());
        this.mx = new MxRouter(lookup, hosts, loops, s.maxMxHosts(), random);
        this.statics = new StaticRouter(hosts);
        LOG.info("DNS routing via {} ({} ms timeout, {} retries, {})", runtime.describe(), s.timeoutMillis(),
                s.retries(), s.families());
        this.gate = new StaticRoutesGate(expectedStaticRoutes, () -> staticRoutes, patience);
    }

    private static Set<String> staticRoutePids(ConfigurationAdmin configurations) {
        if (configurations == null) {
            return Set.of();
        }
        try {
            Configuration[] found = configurations.listConfigurations(
                    "(" + ConfigurationAdmin.SERVICE_FACTORYPID + "=" + StaticRoute.PID + ")");
            return found == null ? Set.of()
                    : Arrays.stream(found).map(Configuration::getPid).collect(Collectors.toUnmodifiableSet());
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("Cannot list the static route configurations; routing does not wait for them", e);
            return Set.of();
        }
    }

    @Override
    public CompletionStage<Route> route(String domain) {
        Objects.requireNonNull(domain, "domain");
        CompletableFuture<Route> result = new CompletableFuture<>();
        pending.put(result, domain);
        result.whenComplete((r, e) -> pending.remove(result));
        CompletableFuture<Route> work;
        try {
            work = closed ? CompletableFuture.completedFuture(Replies.stopping(Replies.printable(domain)))
                    : gate.then(() -> closed ? done(Replies.stopping(Replies.printable(domain))) : dispatch(domain));
        } catch (RuntimeException e) {
            work = CompletableFuture.failedFuture(e);
        }
        work.whenComplete((route, error) -> {
            if (error != null) {
                // A bug, not DNS trouble; deferring keeps the mail, the log tells us about it.
                LOG.error("Routing {} failed unexpectedly; deferring", Replies.printable(domain), error);
                result.complete(Replies.internalError(Replies.printable(domain), error));
            } else {
                result.complete(route);
            }
        });
        return result.minimalCompletionStage();
    }

    private CompletableFuture<Route> dispatch(String domain) {
        boolean literal = AddressLiteral.isLiteral(domain);
        String ascii;
        try {
            ascii = literal ? domain.toLowerCase(Locale.ROOT) : Domains.toAscii(domain);
        } catch (IllegalArgumentException e) {
            return done(Replies.badDomain(Replies.printable(domain), "not a valid domain name"));
        }
        StaticRoute route = StaticRouter.select(staticRoutes, ascii);
        if (route != null) {
            return statics.route(route, literal ? domain : ascii);
        }
        if (literal) {
            return done(AddressLiteral.route(domain, loops));
        }
        try {
            return mx.route(ascii, Name.fromString(ascii, Name.root));
        } catch (TextParseException e) {
            return done(Replies.badDomain(ascii, e.getMessage()));
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindMetrics")
    void bindMetrics(Metrics metrics) {
        timings.set(new DnsTimings(metrics));
    }

    /** Greedy rebinding binds the new service first: only the one still current is replaced by nothing. */
    void unbindMetrics(Metrics metrics) {
        timings.getAndUpdate(t -> t.source() == metrics ? DnsTimings.NONE : t);
    }

    /** The resolvers asked, {@code address:port}, comma-separated. */
    String resolvers() {
        return runtime.describe();
    }

    int cacheSize() {
        return cache.size();
    }

    @Deactivate
    void deactivate() {
        closed = true;
        pending.forEach((future, domain) -> future.complete(Replies.stopping(Replies.printable(domain))));
        gate.close();
        runtime.close();
    }

    private static CompletableFuture<Route> done(Route route) {
        return CompletableFuture.completedFuture(route);
    }
}
