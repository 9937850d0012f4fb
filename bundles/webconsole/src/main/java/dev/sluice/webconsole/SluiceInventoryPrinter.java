package dev.sluice.webconsole;

import dev.sluice.api.queue.QueueAdmin;
import dev.sluice.api.queue.QueueSummary;
import dev.sluice.api.queue.RecipientStatus;
import dev.sluice.api.ratelimit.PathStatus;
import dev.sluice.api.ratelimit.TenantBudgetLine;
import dev.sluice.api.ratelimit.TenantBudgetStatus;
import dev.sluice.api.ratelimit.TrafficShaper;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.felix.inventory.Format;
import org.apache.felix.inventory.InventoryPrinter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * A plain-text status dump (queue counts, egress paths and tenant budgets) for the console's Status page and its
 * downloadable configuration status, so a support bundle carries the MTA's state too.
 */
@Component(property = {InventoryPrinter.NAME + "=sluice", InventoryPrinter.TITLE + "=Sluice",
        InventoryPrinter.FORMAT + "=TEXT"})
public class SluiceInventoryPrinter implements InventoryPrinter {

    static final int TOP = 50;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile QueueAdmin queueAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile TrafficShaper shaper;

    @Override
    public void print(PrintWriter pw, Format format, boolean isZip) {
        QueueAdmin admin = queueAdmin;
        if (admin == null) {
            pw.println("Queue: not available");
        } else {
            QueueSummary s = admin.summary();
            pw.println("Queue: " + s.messages() + " messages, " + s.heldMessages() + " held");
            for (RecipientStatus status : RecipientStatus.values()) {
                pw.println("  " + status.name().toLowerCase(Locale.ROOT) + " recipients: "
                        + s.recipientsByStatus().getOrDefault(status, 0L));
            }
            pw.println("Destinations (" + s.messagesByDestination().size() + ", largest " + TOP + "):");
            SummaryView.largest(s.messagesByDestination(), TOP)
                    .forEach((Map.Entry<String, Long> e) -> pw.println("  " + e.getKey() + ": " + e.getValue()));
        }
        TrafficShaper current = shaper;
        if (current == null) {
            pw.println("Egress paths: not available");
            return;
        }
        pw.println("Egress paths:");
        current.status().stream().sorted(Comparator.comparing(p -> p.path().toString())).forEach(p -> pw.println("  "
                + p.path() + ": " + p.openConnections() + " connections, " + DestinationsView.limits(p.limits())
                + suspension(p)));
        tenants(pw, current.tenantBudgets(), admin);
    }

    /** Absolute times: a dump is read later than it is taken. */
    private static void tenants(PrintWriter pw, List<TenantBudgetStatus> budgets, QueueAdmin admin) {
        List<TenantBudgetLine> lines = TenantBudgetLine.of(budgets, admin == null ? null : admin.tenantWaits());
        if (lines.isEmpty()) {
            return;
        }
        pw.println("Tenant budgets used lately:");
        for (TenantBudgetLine line : lines) {
            TenantBudgetStatus b = line.budget();
            String waiting = (line.waiting() == null ? "?" : line.waiting()) + " waiting aside";
            pw.println("  " + line.tenant() + " -> " + line.site() + ": " + (b == null ? "no budget listed, " + waiting
                    : b.messageRate() + " (" + (b.rule() == null ? "default" : "rule " + b.rule()) + "), "
                    + b.available() + " of " + b.burst() + " left, next " + b.nextMessage() + ", " + waiting + ", "
                    + (b.shared() ? "shared" : "this node") + ", last used " + b.lastUsed()));
        }
    }

    private static String suspension(PathStatus p) {
        return p.suspension() == null ? "" : "; " + p.suspension().action() + " by " + p.suspension().rule()
                + " until " + p.suspension().until();
    }
}
