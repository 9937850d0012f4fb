package dev.sluice.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.api.mail.Reply;
import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.ratelimit.Rate;
import dev.sluice.api.ratelimit.Suspension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Replies of two connections to one path arrive on two I/O threads at once (two refused greetings). The order is
 * forced: the throttle's thread stops inside its decision, where it publishes the record, until the suspension's
 * thread has gone as far as it can.
 */
class BackoffConcurrencyTest {

    private final TestClock clock = new TestClock("2026-11-23T10:00:00Z");
    private final PathKey path = new PathKey("route:busy", "default");

    /** Local buckets; publishing a throttle waits until {@code other} is blocked, waiting or done. */
    private static final class HoldingGate implements RateGate {
        private final LocalRateGate local = new LocalRateGate();
        private final CountDownLatch publishing = new CountDownLatch(1);
        private volatile Thread other;

        @Override
        public boolean tryTake(String key, Rate rate, long burst, Instant now) {
            return local.tryTake(key, rate, burst, now);
        }

        @Override
        public Instant next(String key, Rate rate, long burst, Instant now) {
            return local.next(key, rate, burst, now);
        }

        @Override
        public boolean putRecord(String site, String field, String value, Duration ttl) {
            if (value.contains(BackoffRule.Action.THROTTLE.name())) {
                publishing.countDown();
                while (other.getState() == Thread.State.NEW || other.getState() == Thread.State.RUNNABLE) {
                    Thread.onSpinWait();
                }
            }
            return false;
        }

        @Override
        public void close() {
            local.close();
        }
    }

    @Test
    void aThrottleDecidedAtTheSameTimeDoesNotReplaceTheSuspension() throws Exception {
        HoldingGate gate = new HoldingGate();
        Shaper shaper = Shapers.of(clock, gate);
        shaper.backoff().setRules(List.of(BackoffRule.of("slow", "slow down", "throttle", 1, 5, 10, 5, 1, 10),
                BackoffRule.of("stop", "go away", "suspend", 1, 5, 1, 5, 1, 10)), List.of());
        Thread throttling = new Thread(() -> shaper.onReply(path, Reply.of(451, "4.7.1", "slow down")));
        Thread suspending = new Thread(() -> shaper.onReply(path, Reply.of(421, "4.7.0", "go away")));
        gate.other = suspending;
        throttling.start();
        gate.publishing.await();
        suspending.start();
        throttling.join();
        suspending.join();

        Suspension s = shaper.suspension(path).orElseThrow();
        assertEquals("stop", s.rule(), "the suspension stands");
        assertEquals("suspend", s.action());
    }
}
