package dev.sluice.metrics;

import dev.sluice.api.config.ConfigCheck;
import dev.sluice.api.event.DeliveryEvent;
import dev.sluice.api.event.DeliveryListener;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Delivery counters from the event whiteboard. The destination label is bounded: the first
 * {@code maxDestinations} destinations seen keep their own series and the rest add to {@code (other)}.
 * First-come rather than top-N, because a counter series must never move to another label.
 */
@Component(service = {DeliveryListener.class, DeliveryCounters.class}, configurationPid = DeliveryCounters.PID)
@Designate(ocd = DeliveryCounters.Config.class)
public class DeliveryCounters implements DeliveryListener {

    static final String PID = "dev.sluice.metrics.delivery";
    /** Not a valid domain name, so it never collides with a real destination. */
    static final String OTHER = "(other)";
    static final DeliveryEvent.Kind[] OUTCOMES = {DeliveryEvent.Kind.DELIVERED, DeliveryEvent.Kind.DEFERRED,
        DeliveryEvent.Kind.BOUNCED, DeliveryEvent.Kind.EXPIRED};

    @ObjectClassDefinition(name = "Sluice metrics: delivery counters",
            description = "Counters of delivery events for the /metrics endpoint.")
    public @interface Config {
        @AttributeDefinition(name = "Destinations with their own label", min = "0", max = "10000",
                description = "The first this many destinations get their own series; later ones count as (other). "
                        + "Range: 0 to 10000.")
        int maxDestinations() default 100;
    }

    private final int maxDestinations;
    private final AtomicInteger tracked = new AtomicInteger();
    private final Map<String, LongAdder[]> byDestination = new ConcurrentHashMap<>();
    private final LongAdder[] other = row();
    private final LongAdder received = new LongAdder();
    private final LongAdder delayNotices = new LongAdder();

    @Activate
    public DeliveryCounters(Config config) {
        this.maxDestinations = ConfigCheck.between("maxDestinations", config.maxDestinations(), 0, 10_000);
    }

    @Override
    public void onEvent(DeliveryEvent event) {
        switch (event.kind()) {
            case RECEIVED -> received.increment();
            case DELAY_NOTIFIED -> delayNotices.increment();
            default -> rowFor(event.destination())[event.kind().ordinal()].increment();
        }
    }

    private LongAdder[] rowFor(String destination) {
        String key = destination == null ? "unknown" : destination.toLowerCase(Locale.ROOT);
        LongAdder[] row = byDestination.get(key);
        if (row == null) {
            row = byDestination.computeIfAbsent(key, d -> tracked.get() < maxDestinations
                    && tracked.getAndIncrement() < maxDestinations ? row() : null);
        }
        return row == null ? other : row;
    }

    private static LongAdder[] row() {
        LongAdder[] row = new LongAdder[DeliveryEvent.Kind.values().length];
        for (int i = 0; i < row.length; i++) {
            row[i] = new LongAdder();
        }
        return row;
    }

    void write(PrometheusText text) {
        text.family("sluice_messages_received_total", "counter", "Messages accepted into the queue.")
                .sample("sluice_messages_received_total", received.sum());
        text.family("sluice_delay_notifications_total", "counter", "Delay DSNs sent to senders.")
                .sample("sluice_delay_notifications_total", delayNotices.sum());
        text.family("sluice_recipient_outcomes_total", "counter", "Recipient delivery attempts by outcome and "
                + "destination domain (deferred counts every temporary failure; the first " + maxDestinations
                + " destinations seen have their own label, the rest are (other)).");
        Map<String, LongAdder[]> sorted = new TreeMap<>(byDestination);
        sorted.put(OTHER, other);
        sorted.forEach((destination, row) -> {
            for (DeliveryEvent.Kind kind : OUTCOMES) {
                text.sample("sluice_recipient_outcomes_total", row[kind.ordinal()].sum(),
                        "outcome", kind.name().toLowerCase(Locale.ROOT), "destination", destination);
            }
        });
    }
}
