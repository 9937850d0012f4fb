package dev.sluice.delivery.smtp;

import static dev.sluice.delivery.smtp.Fixtures.PATH;
import static dev.sluice.delivery.smtp.Fixtures.SOURCE;
import static dev.sluice.delivery.smtp.Fixtures.await;
import static dev.sluice.delivery.smtp.Fixtures.config;
import static dev.sluice.delivery.smtp.Fixtures.content;
import static dev.sluice.delivery.smtp.Fixtures.hop;
import static dev.sluice.delivery.smtp.Fixtures.recipients;
import static dev.sluice.delivery.smtp.Fixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.delivery.Outcome;
import dev.sluice.api.ratelimit.ConnectionPermit;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.mina.core.filterchain.IoFilter;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.DummySession;
import org.apache.mina.core.session.IoSession;
import org.junit.jupiter.api.Test;

/**
 * When a connection gives its slot back: a failed one only once its socket is closed, an idle pooled one as soon as
 * another node waits for a slot of its path (or after the idle timeout, see {@link ReuseTest}).
 */
class SlotTest {

    /** Holds a session's close back (the socket stays open) until {@link #let} passes it on. */
    private static final class HeldClose extends IoFilterAdapter {
        private final AtomicReference<Runnable> pending = new AtomicReference<>();

        @Override
        public void filterClose(IoFilter.NextFilter next, IoSession session) {
            pending.set(() -> next.filterClose(session));
        }

        boolean asked() {
            return pending.get() != null;
        }

        void let() {
            pending.getAndSet(null).run();
        }
    }

    @Test
    void aFailedSessionKeepsItsSlotUntilTheSocketIsClosed() {
        FakeShaper shaper = new FakeShaper();
        try (ClientRuntime rt = new ClientRuntime(Settings.from(config()), shaper, TlsUpgrade.Contexts.create())) {
            ConnectionPermit permit = shaper.tryOpenConnection(PATH).orElseThrow();
            DummySession session = new DummySession();
            session.setHandler(new ClientHandler());
            HeldClose close = new HeldClose();
            session.getFilterChain().addFirst("held-close", close);
            SmtpConnection conn = new SmtpConnection(rt, new PoolKey(PATH, hop(25), SOURCE), permit);
            conn.attach(session);
            var reply = conn.expect(Duration.ofMinutes(1), "greeting");

            conn.fail(SmtpFailure.local(451, "4.4.2", "timeout", null));
            assertTrue(close.asked(), "the session is being closed");
            assertThrows(Exception.class, () -> reply.get(5, TimeUnit.SECONDS), "what waited has failed at once");
            assertEquals(1, shaper.open.get(), "but the socket is still open: the receiver still counts it");

            close.let();
            assertTrue(session.getCloseFuture().isClosed());
            assertEquals(0, shaper.open.get(), "closed: the slot is free");
            assertFalse(rt.live.contains(conn));
        }
    }

    @Test
    void anIdleConnectionGivesItsSlotUpWhenAnotherNodeWaitsForOne() throws Exception {
        FakeShaper shaper = new FakeShaper();
        SmtpDeliveryAgent agent = new SmtpDeliveryAgent(shaper, config("idleTimeoutSeconds", 300));
        try (FakeMx mx = new FakeMx()) {
            var report = await(agent.deliver(request(recipients("a@example.test"), content("m\r\n"), hop(mx.port()))),
                    10);
            assertEquals(Outcome.DELIVERED, report.outcomes().get(0).outcome());
            assertEquals(1, shaper.open.get(), "idle in the pool, holding its slot");

            shaper.wanted = true;
            assertTrue(mx.quit.await(10, TimeUnit.SECONDS), "QUIT long before the idle timeout of 300 s");
            assertTrue(shaper.awaitNoneOpen(Duration.ofSeconds(10)));
        } finally {
            agent.deactivate();
        }
    }

    @Test
    void aSlotTheShaperDidNotForecastIsTakenWithinASecond() throws Exception {
        FakeShaper shaper = new FakeShaper();
        shaper.maxOpen = 0;
        shaper.nextIn = Duration.ofMinutes(10); // suspended for ten minutes, as far as the shaper knows
        SmtpDeliveryAgent agent = new SmtpDeliveryAgent(shaper, config());
        try (FakeMx mx = new FakeMx()) {
            var stage = agent.deliver(request(recipients("a@example.test"), content("m\r\n"), hop(mx.port())));
            assertTrue(shaper.awaitAsked(1, Duration.ofSeconds(10)));
            shaper.maxOpen = Integer.MAX_VALUE; // resumed on another node: nobody tells this one
            long start = System.nanoTime();
            assertEquals(Outcome.DELIVERED, await(stage, 10).outcomes().get(0).outcome(),
                    "delivered well before the permit wait of 60 s");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 5000, "took " + millis + " ms");
        } finally {
            agent.deactivate();
        }
    }
}
