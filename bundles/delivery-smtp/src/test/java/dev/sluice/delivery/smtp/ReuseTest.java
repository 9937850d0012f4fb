package dev.sluice.delivery.smtp;

import static dev.sluice.delivery.smtp.Fixtures.await;
import static dev.sluice.delivery.smtp.Fixtures.config;
import static dev.sluice.delivery.smtp.Fixtures.content;
import static dev.sluice.delivery.smtp.Fixtures.hop;
import static dev.sluice.delivery.smtp.Fixtures.recipients;
import static dev.sluice.delivery.smtp.Fixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.delivery.Outcome;
import dev.sluice.api.ratelimit.PathLimits;
import dev.sluice.api.ratelimit.Rate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Connection reuse: RSET between transactions, the per-connection message limit and the idle timeout. */
class ReuseTest {
    private FakeShaper shaper;
    private SmtpDeliveryAgent agent;
    private FakeMx mx;

    @BeforeEach
    void setUp() throws Exception {
        shaper = new FakeShaper();
        mx = new FakeMx();
    }

    @AfterEach
    void tearDown() throws Exception {
        agent.deactivate();
        mx.close();
    }

    private void deliverTimes(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            var report = await(agent.deliver(request(recipients("a" + i + "@example.test"), content("m" + i + "\r\n"),
                    hop(mx.port()))), 10);
            assertEquals(Outcome.DELIVERED, report.outcomes().get(0).outcome());
        }
    }

    @Test
    void twoMessagesShareOneConnectionWithRsetBetween() throws Exception {
        agent = new SmtpDeliveryAgent(shaper, config());
        deliverTimes(2);

        assertEquals(1, mx.connections.get());
        assertEquals(1, shaper.granted.get(), "one connection permit for both messages");
        List<String> verbs = mx.commands.stream().map(c -> c.split("[ :]")[0]).toList();
        int secondMail = verbs.lastIndexOf("MAIL");
        assertTrue(verbs.indexOf("MAIL") < secondMail);
        assertEquals("RSET", verbs.get(secondMail - 1), verbs.toString());
        assertEquals(1, verbs.stream().filter("EHLO"::equals).count(), verbs.toString());
    }

    @Test
    void theRsetOfAReusedSessionIsPipelinedWithTheNextTransaction() throws Exception {
        agent = new SmtpDeliveryAgent(shaper, config());
        deliverTimes(3);

        assertEquals(1, mx.connections.get());
        assertEquals(2, mx.afterRset.size(), mx.afterRset.toString());
        for (String next : mx.afterRset) {
            assertTrue(next.startsWith("MAIL FROM:"), "RSET and MAIL in one write, got " + mx.afterRset);
        }
    }

    @Test
    void aPooledSessionThatRefusesRsetIsReplacedAndTheMessageStillDelivered() throws Exception {
        agent = new SmtpDeliveryAgent(shaper, config());
        deliverTimes(1);
        mx.rsetReply = "421 4.3.2 shutting down";
        deliverTimes(1);

        assertEquals(2, mx.connections.get(), "a new session for the second message");
        assertEquals(2, mx.messages.size(), "no content went over the refusing session");
        assertTrue(shaper.replies.stream().noneMatch(r -> r.code() == 451),
                "no local failure charged to the hop: " + shaper.replies);
    }

    @Test
    void maxMessagesPerConnectionIsRespected() throws Exception {
        shaper.limits = new PathLimits(10, Rate.parse("100/s"), 2, Rate.parse("100/s"), 10);
        agent = new SmtpDeliveryAgent(shaper, config());
        deliverTimes(5);

        assertEquals(3, mx.connections.get(), "2 + 2 + 1 messages");
        assertEquals(5, mx.messages.size());
    }

    @Test
    void anIdlePooledConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        agent = new SmtpDeliveryAgent(shaper, config("idleTimeoutSeconds", 1));
        deliverTimes(1);
        assertEquals(1, shaper.open.get(), "the pooled session keeps its slot while idle");

        assertTrue(mx.quit.await(5, TimeUnit.SECONDS), "QUIT after the idle timeout");
        assertTrue(shaper.awaitNoneOpen(Duration.ofSeconds(5)));
        assertEquals(0, shaper.open.get(), "the slot is freed when the session ends");
    }

    @Test
    void aPooledConnectionTheServerClosedIsReplacedTransparently() throws Exception {
        agent = new SmtpDeliveryAgent(shaper, config());
        mx.rcptReply = rcpt -> rcpt.startsWith("a1@") ? "421 4.3.2 closing now" : "250 2.1.5 ok";
        deliverTimes(1);
        // The next message gets a 421 and the server hangs up; the one after must not see the dead session.
        var second = await(agent.deliver(request(recipients("a1@example.test"), content("x\r\n"),
                hop(mx.port()))), 10);
        assertEquals(Outcome.DEFERRED, second.outcomes().get(0).outcome());
        assertEquals(421, second.outcomes().get(0).reply().code());
        mx.rcptReply = rcpt -> "250 2.1.5 ok";
        deliverTimes(1);
        assertEquals(2, mx.connections.get());
        assertFalse(mx.messages.isEmpty());
    }
}
