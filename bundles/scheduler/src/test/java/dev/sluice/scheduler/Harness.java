package dev.sluice.scheduler;

import dev.sluice.api.event.DeliveryEvent;
import dev.sluice.api.queue.QueueEntry;
import dev.sluice.scheduler.Fakes.FakeAgent;
import dev.sluice.scheduler.Fakes.FakeBounces;
import dev.sluice.scheduler.Fakes.FakeRouter;
import dev.sluice.scheduler.Fakes.FakeShaper;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The scheduler wired to fakes, on manual time. */
final class Harness {

    final ManualTime time = new ManualTime();
    final FakeQueue queue = new FakeQueue(time::now);
    final FakeRouter router = new FakeRouter();
    final FakeShaper shaper = new FakeShaper();
    final FakeAgent agent = new FakeAgent();
    final FakeBounces bounces = new FakeBounces();
    final List<DeliveryEvent> events = new ArrayList<>();
    final SchedulerComponent scheduler;

    Harness(Object... keysAndValues) {
        Map<String, Object> overrides = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            overrides.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        shaper.now = time::now;
        bounces.queue = queue;
        scheduler = new SchedulerComponent(Settings.from(config(overrides)), time.clock, time.timer, time.executor);
    }

    /** A Config with defaults, some overridden. */
    static SchedulerComponent.Config config(Map<String, Object> overrides) {
        return (SchedulerComponent.Config) Proxy.newProxyInstance(Harness.class.getClassLoader(),
                new Class<?>[] {SchedulerComponent.Config.class}, (proxy, method, args) ->
                        overrides.containsKey(method.getName()) ? overrides.get(method.getName())
                                : method.getDefaultValue());
    }

    /** Binds every service, as DS would after construction. */
    Harness start() {
        scheduler.bindQueue(queue);
        scheduler.bindRouter(router);
        scheduler.bindShaper(shaper);
        scheduler.bindBounces(bounces);
        scheduler.addListener(events::add, Map.of("service.id", 1L));
        scheduler.bindAgent(agent);
        time.settle();
        return this;
    }

    /**
     * Binds fakes (and {@code queue}) to a scheduler that runs on real threads, as DS would; the latch opens at the
     * first delivery.
     */
    static java.util.concurrent.CountDownLatch bindForDelivery(SchedulerComponent scheduler, FakeQueue queue) {
        java.util.concurrent.CountDownLatch delivered = new java.util.concurrent.CountDownLatch(1);
        scheduler.addListener(e -> {
            if (e.kind() == DeliveryEvent.Kind.DELIVERED) {
                delivered.countDown();
            }
        }, Map.of());
        scheduler.bindQueue(queue);
        scheduler.bindRouter(new FakeRouter());
        scheduler.bindShaper(new FakeShaper());
        scheduler.bindAgent(new FakeAgent());
        return delivered;
    }

    QueueEntry submit(String sender, String... recipients) {
        QueueEntry e = queue.add(sender, recipients);
        scheduler.queued(e);
        time.settle();
        return e;
    }

    void advance(Duration d) {
        time.advance(d);
    }

    List<DeliveryEvent.Kind> kinds(String recipient) {
        return events.stream().filter(e -> recipient.equals(e.recipient())).map(DeliveryEvent::kind).toList();
    }
}
