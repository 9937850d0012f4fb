package dev.sluice.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.event.DeliveryEvent;
import dev.sluice.api.queue.QueueEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The component as DS runs it: real threads, started and stopped. */
class LifecycleTest {

    @Test
    void deliversOnRealThreadsAndStopsThemOnDeactivate() throws Exception {
        SchedulerComponent scheduler = new SchedulerComponent(Harness.config(Map.of()));
        FakeQueue queue = new FakeQueue(Instant::now);
        Fakes.FakeShaper shaper = new Fakes.FakeShaper();
        CountDownLatch delivered = new CountDownLatch(2);
        scheduler.addListener(e -> {
            if (e.kind() == DeliveryEvent.Kind.DELIVERED) {
                delivered.countDown();
            }
        }, Map.of());
        QueueEntry before = queue.add("s@sender.example", "a@a.example");
        scheduler.bindQueue(queue);
        scheduler.bindRouter(new Fakes.FakeRouter());
        scheduler.bindShaper(shaper);
        scheduler.bindAgent(new Fakes.FakeAgent());
        QueueEntry after = queue.add("s@sender.example", "b@b.example");
        scheduler.queued(after);
        assertTrue(delivered.await(10, TimeUnit.SECONDS));
        assertFalse(queue.contains(before) || queue.contains(after));

        List<Thread> ours = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("sluice-scheduler-")).toList();
        assertFalse(ours.isEmpty());
        scheduler.deactivate();
        for (Thread t : ours) {
            t.join(5000);
            assertFalse(t.isAlive(), t.getName() + " still running");
        }
    }

    @Test
    void deactivateWaitsForDeliveriesUnderWayAndRecordsWhatTheyDid() throws Exception {
        SchedulerComponent scheduler = new SchedulerComponent(Harness.config(Map.of()));
        FakeQueue queue = new FakeQueue(Instant::now);
        Fakes.FakeAgent agent = new Fakes.FakeAgent();
        agent.hang.add("a.example");
        scheduler.bindQueue(queue);
        scheduler.bindRouter(new Fakes.FakeRouter());
        scheduler.bindShaper(new Fakes.FakeShaper());
        scheduler.bindAgent(agent);
        QueueEntry e = queue.add("s@sender.example", "a@a.example");
        scheduler.queued(e);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (agentPending(agent) == 0) {
            assertTrue(System.nanoTime() < deadline, "never handed to the agent");
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
        }
        Thread stopping = new Thread(scheduler::deactivate);
        stopping.start();
        stopping.join(300);
        assertTrue(stopping.isAlive(), "deactivate did not wait for the delivery under way");
        synchronized (agent) {
            agent.completeOldest(dev.sluice.api.mail.Reply.of(250, "2.0.0", "OK"));
        }
        stopping.join(10_000);
        assertFalse(stopping.isAlive());
        assertFalse(queue.contains(e), "the delivery was not recorded: it would be sent again");
    }

    private static int agentPending(Fakes.FakeAgent agent) {
        synchronized (agent) {
            return agent.pending.size();
        }
    }

    @Test
    void aBadValueFailsActivationNamingTheKey() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Settings.from(Harness.config(Map.of("retryMultiplier", 0.5))));
        assertTrue(e.getMessage().contains("retryMultiplier"), e.getMessage());
        var lifetime = assertThrows(IllegalArgumentException.class,
                () -> Settings.from(Harness.config(Map.of("delayWarningHours", 200))));
        assertTrue(lifetime.getMessage().contains("delayWarningHours"));
        assertEquals(300, Settings.from(Harness.config(Map.of())).retry().initial().toSeconds());
        var zero = assertThrows(IllegalArgumentException.class,
                () -> Settings.from(Harness.config(Map.of("maxLifetimeHours", 0.0, "delayWarningHours", 0))));
        assertTrue(zero.getMessage().startsWith("maxLifetimeHours"), zero.getMessage());
    }

    @Test
    void aFractionOfAnHourIsALifetime() {
        var settings = Settings.from(Harness.config(Map.of("maxLifetimeHours", 0.005, "delayWarningHours", 0)));
        assertEquals(18, settings.retry().lifetime().toSeconds());
    }
}
