package dev.sluice.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.event.DeliveryEvent;
import dev.sluice.api.event.DeliveryEvent.Kind;
import dev.sluice.api.mail.QueueId;
import java.lang.annotation.Annotation;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeliveryCountersTest {

    static DeliveryCounters.Config config(int max) {
        return new DeliveryCounters.Config() {
            public int maxDestinations() {
                return max;
            }

            public Class<? extends Annotation> annotationType() {
                return DeliveryCounters.Config.class;
            }
        };
    }

    static DeliveryEvent event(Kind kind, String destination) {
        return new DeliveryEvent(kind, Instant.EPOCH, new QueueId("Q1"), null, "a@example.com",
                destination == null ? null : "r@" + destination, destination, null, null, null, null, null, 1, 10);
    }

    private static Exposition scrape(DeliveryCounters counters) {
        PrometheusText text = new PrometheusText();
        counters.write(text);
        return Exposition.parse(text.toString());
    }

    @Test
    void countersIncreaseWithEvents() {
        DeliveryCounters counters = new DeliveryCounters(config(10));
        Exposition before = scrape(counters);
        assertEquals(0, before.value("sluice_messages_received_total"));
        assertEquals(0, before.value("sluice_recipient_outcomes_total{outcome=delivered,destination=(other)}"));
        counters.onEvent(event(Kind.RECEIVED, null));
        counters.onEvent(event(Kind.DELIVERED, "example.net"));
        counters.onEvent(event(Kind.DELIVERED, "EXAMPLE.net"));
        counters.onEvent(event(Kind.DEFERRED, "example.net"));
        counters.onEvent(event(Kind.BOUNCED, "example.org"));
        counters.onEvent(event(Kind.EXPIRED, "example.org"));
        counters.onEvent(event(Kind.DELAY_NOTIFIED, "example.org"));
        Exposition after = scrape(counters);
        assertEquals("counter", after.types.get("sluice_recipient_outcomes_total"));
        assertEquals(1, after.value("sluice_messages_received_total"));
        assertEquals(1, after.value("sluice_delay_notifications_total"));
        assertEquals(2, after.value("sluice_recipient_outcomes_total{outcome=delivered,destination=example.net}"));
        assertEquals(1, after.value("sluice_recipient_outcomes_total{outcome=deferred,destination=example.net}"));
        assertEquals(0, after.value("sluice_recipient_outcomes_total{outcome=bounced,destination=example.net}"));
        assertEquals(1, after.value("sluice_recipient_outcomes_total{outcome=bounced,destination=example.org}"));
        assertEquals(1, after.value("sluice_recipient_outcomes_total{outcome=expired,destination=example.org}"));
    }

    @Test
    void destinationLabelsAreBoundedAndTheRestIsOther() {
        DeliveryCounters counters = new DeliveryCounters(config(2));
        for (int i = 0; i < 50; i++) {
            counters.onEvent(event(Kind.DELIVERED, "d" + i + ".example"));
        }
        counters.onEvent(event(Kind.DELIVERED, "d0.example"));
        Exposition e = scrape(counters);
        assertEquals(2, e.value("sluice_recipient_outcomes_total{outcome=delivered,destination=d0.example}"));
        assertEquals(1, e.value("sluice_recipient_outcomes_total{outcome=delivered,destination=d1.example}"));
        assertEquals(48, e.value("sluice_recipient_outcomes_total{outcome=delivered,destination=(other)}"));
        assertEquals(3 * 4, e.samples.keySet().stream().filter(k -> k.startsWith("sluice_recipient_outcomes_total")).count());
        assertFalse(e.samples.keySet().stream().anyMatch(k -> k.contains("d2.example")));
    }

    @Test
    void labelValuesAndHelpAreEscaped() {
        PrometheusText text = new PrometheusText().family("t_total", "counter", "back\\slash and\nnewline")
                .sample("t_total", 1, "v", "quote\" back\\ nl\n end").sample("t_total", 2.5, "v", "x");
        String raw = text.toString();
        assertTrue(raw.contains("# HELP t_total back\\\\slash and\\nnewline\n"), raw);
        assertTrue(raw.contains("t_total{v=\"quote\\\" back\\\\ nl\\n end\"} 1\n"), raw);
        Exposition e = Exposition.parse(raw);
        assertEquals(1, e.value("t_total{v=quote\" back\\ nl\n end}"));
        assertEquals(2.5, e.value("t_total{v=x}"));
    }
}
