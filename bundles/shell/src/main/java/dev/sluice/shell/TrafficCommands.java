package dev.sluice.shell;

import dev.sluice.api.queue.QueueAdmin;
import dev.sluice.api.queue.TenantWait;
import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.ratelimit.PathLimits;
import dev.sluice.api.ratelimit.PathStatus;
import dev.sluice.api.ratelimit.Suspension;
import dev.sluice.api.ratelimit.TenantBudgetStatus;
import dev.sluice.api.ratelimit.TrafficShaper;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** Outbound paths: {@code sluice:destinations}, {@code sluice:suspend}, {@code sluice:resume}, {@code sluice:limits}. */
@Component(service = Object.class, property = {"osgi.command.scope=sluice", "osgi.command.function=destinations",
        "osgi.command.function=suspend", "osgi.command.function=resume", "osgi.command.function=limits"})
public class TrafficCommands {

    static final long MAX_SUSPEND_MINUTES = 7 * 24 * 60;

    /** Dynamic, so the commands answer "not available" while the rate limiter is updated. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile TrafficShaper shaper;

    /** Dynamic and optional: only the tenant section's WAITING column comes from the scheduler. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile QueueAdmin queueAdmin;

    private final Audit audit;
    private final Clock clock;

    @Activate
    public TrafficCommands() {
        this(Audit.toLog(), Clock.systemUTC());
    }

    TrafficCommands(Audit audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    private TrafficShaper shaper() {
        return Unavailable.require(shaper, "traffic shaper", "ratelimit");
    }

    @Descriptor("egress paths with traffic or a suspension (connections, recent rates, suspension), then the tenant "
            + "budgets used lately (rule, rate, tokens left, next message, messages waiting aside)")
    public String destinations() {
        TrafficShaper current = shaper();
        String out = paths(current.status());
        List<TenantBudgetStatus> budgets = current.tenantBudgets();
        QueueAdmin admin = queueAdmin;
        List<TenantWait> waits = admin == null ? null : admin.tenantWaits();
        if (budgets.isEmpty() && (waits == null || waits.isEmpty())) {
            return out;
        }
        return out + "\ntenant budgets used lately" + (waits == null ? " (WAITING ?: the scheduler is not "
                + "available)" : "") + ":\n" + TenantTable.of(budgets, waits, clock.instant());
    }

    private static String paths(List<PathStatus> status) {
        List<PathStatus> paths = status.stream()
                .sorted(Comparator.comparing((PathStatus p) -> p.path().site()).thenComparing(p -> p.path().source()))
                .toList();
        if (paths.isEmpty()) {
            return "no path has traffic or a suspension\n";
        }
        Table table = new Table("SITE", "SOURCE", "CONNECTIONS", "MSG/MIN", "DEFER/MIN", "SUSPENSION");
        for (PathStatus p : paths) {
            Suspension s = p.suspension();
            table.row(p.path().site(), p.path().source(), p.openConnections() + "/" + p.limits().maxConnections(),
                    rate(p.recentMessagesPerMinute()), rate(p.recentDeferralsPerMinute()),
                    s == null ? "-" : s.action() + " (" + s.rule() + ") since " + s.since() + " until " + s.until()
                            + (s.trigger() == null ? "" : " after " + s.trigger()));
        }
        return table.toString();
    }

    @Descriptor("suspend every path to a site")
    public String suspend(@Descriptor("why, shown to other operators") @Parameter(names = {"-r", "--reason"}, absentValue = "operator") String reason,
                          @Descriptor("site (as sluice:destinations shows it)") String site,
                          @Descriptor("for how many minutes") long minutes) {
        if (minutes < 1 || minutes > MAX_SUSPEND_MINUTES) {
            throw new IllegalArgumentException("minutes: give 1 to " + MAX_SUSPEND_MINUTES);
        }
        Suspension s = shaper().suspend(site, Duration.ofMinutes(minutes), reason);
        audit.record("destinations.suspend", site, "until " + s.until() + " reason " + reason);
        return "suspended " + site + " until " + s.until() + "\n";
    }

    @Descriptor("cancel the suspensions and reductions of a site")
    public String resume(@Descriptor("site") String site) {
        boolean had = shaper().resume(site);
        audit.record("destinations.resume", site, had ? "resumed" : "nothing to resume");
        return (had ? "resumed " : "nothing to resume for ") + site + "\n";
    }

    @Descriptor("effective limits of every path to a site, and the rates of the tenant budgets used there lately")
    public String limits(@Descriptor("site") String site) {
        List<PathStatus> paths = shaper().status().stream().filter(p -> p.path().site().equals(site)).toList();
        List<TenantBudgetStatus> tenants = shaper().tenantBudgets().stream().filter(b -> b.site().equals(site))
                .sorted(Comparator.comparing(TenantBudgetStatus::tenant)).toList();
        if (paths.isEmpty() && tenants.isEmpty()) {
            throw new IllegalArgumentException("no traffic to " + site + " now; name the egress source: sluice:limits "
                    + site + " <source>");
        }
        StringBuilder out = new StringBuilder();
        paths.forEach(p -> out.append(p.path()).append(": ").append(describe(shaper().limits(p.path()))).append('\n'));
        tenants.forEach(b -> out.append("tenant ").append(b.tenant()).append(": ").append(b.messageRate())
                .append(" messages (").append(b.rule() == null ? "defaultTenantMessageRate" : "rule " + b.rule())
                .append(")\n"));
        return out.toString();
    }

    @Descriptor("effective limits of one path")
    public String limits(@Descriptor("site") String site, @Descriptor("egress source") String source) {
        PathKey path = new PathKey(site, source);
        return path + ": " + describe(shaper().limits(path)) + "\n";
    }

    static String describe(PathLimits l) {
        return l.maxConnections() + " connections, " + l.connectionRate() + " new connections, "
                + l.maxMessagesPerConnection() + " messages/connection, " + l.messageRate() + " messages, "
                + l.maxRecipientsPerTransaction() + " recipients/transaction";
    }

    private static String rate(double perMinute) {
        return String.format(Locale.ROOT, "%.1f", perMinute);
    }
}
