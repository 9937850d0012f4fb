package dev.sluice.webconsole;

import dev.sluice.api.queue.QueueAdmin;
import dev.sluice.api.queue.QueueSummary;
import dev.sluice.api.queue.RecipientStatus;
import dev.sluice.api.ratelimit.PathStatus;
import dev.sluice.api.ratelimit.TrafficShaper;
import java.io.PrintWriter;
import java.util.Comparator;
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
 * A plain-text status dump (queue counts and egress paths) for the console's Status page and its
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
    }

    private static String suspension(PathStatus p) {
        return p.suspension() == null ? "" : "; " + p.suspension().action() + " by " + p.suspension().rule()
                + " until " + p.suspension().until();
    }
}
