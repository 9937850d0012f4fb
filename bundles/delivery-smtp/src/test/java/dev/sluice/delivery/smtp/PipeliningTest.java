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

import dev.sluice.api.delivery.DeliveryReport;
import dev.sluice.api.delivery.Outcome;
import dev.sluice.api.delivery.RecipientOutcome;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RFC 2920: MAIL, RCPTs and DATA go out before any reply when, and only when, the server offers it. */
class PipeliningTest {
    private SmtpDeliveryAgent agent;
    private FakeMx mx;

    @BeforeEach
    void setUp() throws Exception {
        agent = new SmtpDeliveryAgent(new FakeShaper(), config("mailTimeoutSeconds", 2));
        mx = new FakeMx();
    }

    @AfterEach
    void tearDown() throws Exception {
        agent.deactivate();
        mx.close();
    }

    @Test
    void pipelinesWhenOffered() throws Exception {
        // The server answers MAIL only after it has read DATA: a client waiting for the MAIL reply times out.
        mx.holdPipelined = true;
        mx.rcptReply = rcpt -> rcpt.startsWith("b@") ? "550 5.1.1 unknown" : "250 2.1.5 ok";
        DeliveryReport report = await(agent.deliver(request(
                recipients("a@example.test", "b@example.test", "c@example.test"), content("x\r\n"),
                hop(mx.port()))), 10);

        assertTrue(mx.sawPipelinedBatch);
        assertEquals(List.of(Outcome.DELIVERED, Outcome.BOUNCED, Outcome.DELIVERED),
                report.outcomes().stream().map(RecipientOutcome::outcome).toList());
        assertEquals(1, mx.messages.size());
    }

    @Test
    void doesNotPipelineWhenNotOffered() throws Exception {
        mx.extensions.remove("PIPELINING");
        DeliveryReport report = await(agent.deliver(request(recipients("a@example.test", "b@example.test"),
                content("x\r\n"), hop(mx.port()))), 10);

        assertEquals(Outcome.DELIVERED, report.outcomes().get(0).outcome());
        assertFalse(mx.earlyBytesAfterMail, "nothing was sent before the MAIL reply");
    }

    @Test
    void allRecipientsRefusedInAPipelineSendsNoContent() throws Exception {
        mx.holdPipelined = true;
        mx.rcptReply = rcpt -> "550 5.1.1 unknown";
        mx.dataReply = "554 5.5.1 no valid recipients";
        DeliveryReport report = await(agent.deliver(request(recipients("a@example.test", "b@example.test"),
                content("x\r\n"), hop(mx.port()))), 10);

        assertTrue(report.outcomes().stream().allMatch(o -> o.outcome() == Outcome.BOUNCED
                && o.reply().code() == 550));
        assertTrue(mx.messages.isEmpty());
    }
}
