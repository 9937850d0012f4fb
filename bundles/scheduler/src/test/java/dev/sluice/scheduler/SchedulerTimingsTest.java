package dev.sluice.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.api.event.DeliveryEvent;
import dev.sluice.api.filter.FilterProperties;
import dev.sluice.api.filter.Verdict;
import dev.sluice.api.mail.Reply;
import dev.sluice.testing.metrics.RecordingMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** What the scheduler records in the metrics service: delivery latency, attempts and pre-delivery filter calls. */
class SchedulerTimingsTest {

    private final Harness h = new Harness().start();
    private final RecordingMetrics metrics = new RecordingMetrics();

    @Test
    void deliveryLatencyRunsFromReceptionToDeliveryOfEachRecipientRetriesIncluded() {
        h.scheduler.bindMetrics(metrics);
        h.agent.script.put("a.example", new java.util.ArrayList<>(List.of(
                Reply.of(451, "4.3.0", "later"), Reply.of(250, "2.0.0", "OK"))));
        Instant received = h.time.now();
        h.submit("s@sender.example", "r1@a.example", "r2@a.example");
        h.advance(Duration.ofHours(1));
        DeliveryEvent delivered = h.events.stream().filter(e -> e.kind() == DeliveryEvent.Kind.DELIVERED)
                .findFirst().orElseThrow();
        long expected = Duration.between(received, delivered.at()).toNanos();
        assertEquals(List.of(expected, expected), metrics.get("sluice_delivery_latency_seconds"),
                "once per delivered recipient, not for the deferral");
        assertEquals(2, metrics.get("sluice_delivery_attempt_seconds").size(), "the deferred attempt and the next");
    }

    @Test
    void preDeliveryFilterCallsAreTimedByOutcomeUntilMetricsGoAway() {
        h.scheduler.bindMetrics(metrics);
        h.scheduler.addFilter(req -> CompletableFuture.completedFuture(
                req.envelope().recipients().get(0).address().domain().equals("reject.example")
                        ? Verdict.reject(550, "5.7.1", "Policy") : Verdict.CONTINUE),
                Map.of(FilterProperties.NAME, "policy"));
        h.submit("s@sender.example", "x@reject.example");
        h.submit("s@sender.example", "x@fine.example");
        h.scheduler.unbindMetrics(metrics);
        h.submit("s@sender.example", "y@fine.example");
        assertEquals(1, metrics.get("sluice_filter_duration_seconds", "filter", "policy", "stage", "predelivery",
                "outcome", "reject").size());
        assertEquals(1, metrics.get("sluice_filter_duration_seconds", "filter", "policy", "stage", "predelivery",
                "outcome", "continue").size());
        assertEquals(1, metrics.get("sluice_delivery_latency_seconds").size());
    }
}
