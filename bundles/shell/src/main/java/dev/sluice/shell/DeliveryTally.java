package dev.sluice.shell;

import dev.sluice.api.event.DeliveryEvent;
import dev.sluice.api.event.DeliveryListener;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Delivery events counted since start, for {@code sluice:stats}. A component of its own with no references:
 * the scheduler binds every DeliveryListener, so a listener that also referenced the scheduler's QueueAdmin
 * would close an SCR cycle, and whichever side lost it would stay unbound.
 */
@Component(service = {DeliveryListener.class, DeliveryTally.class})
public class DeliveryTally implements DeliveryListener {

    private final Map<DeliveryEvent.Kind, LongAdder> counts = new EnumMap<>(DeliveryEvent.Kind.class);
    private final Instant since;

    @Activate
    public DeliveryTally() {
        this(Clock.systemUTC());
    }

    DeliveryTally(Clock clock) {
        for (DeliveryEvent.Kind kind : DeliveryEvent.Kind.values()) {
            counts.put(kind, new LongAdder());
        }
        this.since = clock.instant();
    }

    @Override
    public void onEvent(DeliveryEvent event) {
        counts.get(event.kind()).increment();
    }

    /** {@code since <instant>: received n delivered n …}. */
    String line() {
        StringBuilder out = new StringBuilder("since ").append(since).append(':');
        counts.forEach((kind, n) -> out.append(' ').append(kind.name().toLowerCase(Locale.ROOT)).append(' ').append(n.sum()));
        return out.toString();
    }
}
