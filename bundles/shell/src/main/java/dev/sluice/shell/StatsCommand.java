package dev.sluice.shell;

import dev.sluice.api.queue.QueueAdmin;
import dev.sluice.api.queue.QueueSummary;
import dev.sluice.api.ratelimit.PathStatus;
import dev.sluice.api.ratelimit.TrafficShaper;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code sluice:stats}: delivery events counted since start (by {@link DeliveryTally}), plus the queue's
 * counts and the outbound connections now.
 */
@Component(service = Object.class, property = {"osgi.command.scope=sluice", "osgi.command.function=stats"})
public class StatsCommand {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile QueueAdmin queueAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile TrafficShaper shaper;

    private final DeliveryTally tally;

    @Activate
    public StatsCommand(@Reference(name = "tally") DeliveryTally tally) {
        this.tally = tally;
    }

    @Descriptor("delivery counts since start, queue counts, outbound connections")
    public String stats() {
        StringBuilder out = new StringBuilder(tally.line());
        QueueAdmin admin = queueAdmin;
        if (admin == null) {
            out.append("\nqueue: not available");
        } else {
            QueueSummary s = admin.summary();
            out.append("\nqueue: ").append(s.messages()).append(" messages, ").append(s.heldMessages()).append(" held, ")
                    .append(s.messagesByDestination().size()).append(" destinations");
        }
        TrafficShaper current = shaper;
        if (current == null) {
            out.append("\noutbound: not available");
        } else {
            List<PathStatus> paths = current.status();
            out.append("\noutbound: ").append(paths.stream().mapToInt(PathStatus::openConnections).sum())
                    .append(" open connections on ").append(paths.size()).append(" paths, ")
                    .append(paths.stream().filter(p -> p.suspension() != null).count()).append(" suspended");
        }
        return out.append('\n').toString();
    }
}
