package dev.sluice.metrics;

import dev.sluice.api.queue.QueueAdmin;
import dev.sluice.api.queue.QueueSummary;
import dev.sluice.api.queue.RecipientStatus;
import dev.sluice.api.ratelimit.PathStatus;
import dev.sluice.api.ratelimit.TrafficShaper;
import dev.sluice.api.smtp.SmtpListenerStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Gauges read at scrape time from the queue's incremental summary and the traffic shaper's status. */
final class Gauges {

    private Gauges() {
    }

    static void queue(PrometheusText text, QueueAdmin admin, int topDestinations) {
        text.family("sluice_queue_available", "gauge", "1 when the queue admin service (scheduler) is available.")
                .sample("sluice_queue_available", admin == null ? 0 : 1);
        if (admin == null) {
            return;
        }
        QueueSummary s = admin.summary();
        text.family("sluice_queue_messages", "gauge", "Messages in the queue.").sample("sluice_queue_messages", s.messages());
        text.family("sluice_queue_held_messages", "gauge", "Messages on hold.")
                .sample("sluice_queue_held_messages", s.heldMessages());
        text.family("sluice_queue_recipients", "gauge", "Queued recipients by state.");
        for (RecipientStatus status : RecipientStatus.values()) {
            text.sample("sluice_queue_recipients", s.recipientsByStatus().getOrDefault(status, 0L),
                    "status", status.name().toLowerCase(Locale.ROOT));
        }
        text.family("sluice_queue_destination_messages", "gauge", "Messages with unfinished recipients per destination:"
                + " the " + topDestinations + " largest destinations, the rest summed as (other).");
        List<Map.Entry<String, Long>> sorted = s.messagesByDestination().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .toList();
        long rest = 0;
        for (int i = 0; i < sorted.size(); i++) {
            if (i < topDestinations) {
                text.sample("sluice_queue_destination_messages", sorted.get(i).getValue(), "destination", sorted.get(i).getKey());
            } else {
                rest += sorted.get(i).getValue();
            }
        }
        text.sample("sluice_queue_destination_messages", rest, "destination", DeliveryCounters.OTHER);
    }

    static void inbound(PrometheusText text, List<SmtpListenerStatus> listeners) {
        text.family("sluice_inbound_open_connections", "gauge", "Open client connections per SMTP listener.");
        listeners.stream().sorted(Comparator.comparing(SmtpListenerStatus::name))
                .forEach(l -> text.sample("sluice_inbound_open_connections", l.openConnections(), "listener", l.name()));
    }

    static void traffic(PrometheusText text, TrafficShaper shaper) {
        text.family("sluice_traffic_shaper_available", "gauge", "1 when the traffic shaper (ratelimit) is available.")
                .sample("sluice_traffic_shaper_available", shaper == null ? 0 : 1);
        if (shaper == null) {
            return;
        }
        List<PathStatus> paths = shaper.status();
        text.family("sluice_outbound_open_connections", "gauge", "Open outbound SMTP connections.")
                .sample("sluice_outbound_open_connections", paths.stream().mapToLong(PathStatus::openConnections).sum());
        text.family("sluice_outbound_paths", "gauge", "Egress paths with traffic or a suspension.")
                .sample("sluice_outbound_paths", paths.size());
        text.family("sluice_outbound_suspended_paths", "gauge", "Egress paths with an active suspension or reduction.")
                .sample("sluice_outbound_suspended_paths", paths.stream().filter(p -> p.suspension() != null).count());
        text.family("sluice_outbound_suspended_sites", "gauge", "Sites with at least one suspended path.")
                .sample("sluice_outbound_suspended_sites", paths.stream().filter(p -> p.suspension() != null)
                        .map(p -> p.path().site()).distinct().count());
    }
}
