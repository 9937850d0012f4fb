package dev.sluice.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.api.event.DeliveryEvent;
import dev.sluice.api.mail.QueueId;
import dev.sluice.api.queue.QueueSummary;
import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.ratelimit.PathStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsCommandTest {

    static DeliveryEvent event(DeliveryEvent.Kind kind) {
        return new DeliveryEvent(kind, Fakes.T0, new QueueId("AAA111"), null, "a@example.com", "b@example.net",
                "example.net", null, null, null, null, null, 1, 10);
    }

    @Test
    void countsEventsAndSummarisesQueueAndOutbound() {
        DeliveryTally tally = new DeliveryTally(Fakes.CLOCK);
        StatsCommand stats = new StatsCommand(tally);
        assertEquals("since 2026-11-23T10:00:00Z: received 0 delivered 0 deferred 0 bounced 0 expired 0 delay_notified 0"
                + "\nqueue: not available\noutbound: not available\n", stats.stats());
        tally.onEvent(event(DeliveryEvent.Kind.RECEIVED));
        tally.onEvent(event(DeliveryEvent.Kind.DELIVERED));
        tally.onEvent(event(DeliveryEvent.Kind.DELIVERED));
        tally.onEvent(event(DeliveryEvent.Kind.BOUNCED));
        Fakes.Queue queue = new Fakes.Queue();
        queue.summary = new QueueSummary(9, Map.of(), 2, Map.of("a", 1L, "b", 8L));
        stats.queueAdmin = queue;
        FakeShaper shaper = new FakeShaper();
        shaper.status = List.of(new PathStatus(new PathKey("s", "ip"), 2, FakeShaper.LIMITS, 0, 0, null),
                new PathStatus(new PathKey("t", "ip"), 3, FakeShaper.LIMITS, 0, 0, null));
        stats.shaper = shaper;
        assertEquals("since 2026-11-23T10:00:00Z: received 1 delivered 2 deferred 0 bounced 1 expired 0 delay_notified 0"
                + "\nqueue: 9 messages, 2 held, 2 destinations\noutbound: 5 open connections on 2 paths, 0 suspended\n",
                stats.stats());
    }
}
