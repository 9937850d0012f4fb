package dev.sluice.delivery.smtp;

import static dev.sluice.delivery.smtp.Fixtures.await;
import static dev.sluice.delivery.smtp.Fixtures.config;
import static dev.sluice.delivery.smtp.Fixtures.content;
import static dev.sluice.delivery.smtp.Fixtures.hop;
import static dev.sluice.delivery.smtp.Fixtures.recipients;
import static dev.sluice.delivery.smtp.Fixtures.request;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.delivery.DeliveryReport;
import dev.sluice.api.delivery.Outcome;
import dev.sluice.api.delivery.RecipientOutcome;
import dev.sluice.api.mail.MailAddress;
import dev.sluice.api.mail.Notify;
import dev.sluice.api.mail.Recipient;
import dev.sluice.api.ratelimit.PathLimits;
import dev.sluice.api.ratelimit.Rate;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SMTP conversation with one well-behaved (but scripted) server. */
class DeliveryTest {
    private FakeShaper shaper;
    private SmtpDeliveryAgent agent;
    private FakeMx mx;

    @BeforeEach
    void setUp() throws Exception {
        shaper = new FakeShaper();
        agent = new SmtpDeliveryAgent(shaper, config());
        mx = new FakeMx();
    }

    @AfterEach
    void tearDown() throws Exception {
        agent.deactivate();
        mx.close();
    }

    /** Capabilities are per session: a changed server is only seen on a new connection. */
    private void noReuse() throws Exception {
        assertTrue(mx.quit.await(5, TimeUnit.SECONDS), "the session is closed after its one message");
    }

    @Test
    void deliversTheContentByteIdenticalAfterUnstuffing() throws Exception {
        String text = "Subject: dots\r\n\r\n.leading dot\r\n..two dots\r\n.\r\nnot the end\r\n. space\r\nlast\r\n";
        DeliveryReport report = await(agent.deliver(request(recipients("a@example.test"), content(text),
                hop(mx.port()))), 10);

        RecipientOutcome o = report.outcomes().get(0);
        assertEquals(Outcome.DELIVERED, o.outcome(), o.reply().toString());
        assertEquals(250, o.reply().code());
        assertEquals("2.0.0", o.reply().enhancedStatus());
        assertEquals("mx.test[127.0.0.1]", o.remoteHost());
        byte[] received = mx.messages.poll(5, TimeUnit.SECONDS);
        assertNotNull(received);
        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), received);
    }

    @Test
    void largeContentIsStreamedInChunksAndArrivesIntact() throws Exception {
        StringBuilder b = new StringBuilder("Subject: big\r\n\r\n");
        for (int i = 0; i < 20000; i++) {
            b.append(i % 7 == 0 ? "." : "").append("line ").append(i).append(" of a long message\r\n");
        }
        String text = b.toString();
        DeliveryReport report = await(agent.deliver(request(recipients("a@example.test"), content(text),
                hop(mx.port()))), 20);

        assertEquals(Outcome.DELIVERED, report.outcomes().get(0).outcome());
        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), mx.messages.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void contentEndingOnAChunkBoundaryOrJustAfterArrivesIntact() throws Exception {
        agent.deactivate();
        agent = new SmtpDeliveryAgent(shaper, config("dataChunkBytes", 512));
        // 512 bytes: the last read finds nothing and the dot goes alone; 513 and 27 bytes: with the last chunk
        String head = "Subject: x\r\n\r\n";
        String exact = head + "a".repeat(512 - head.length() - 2) + "\r\n";
        assertEquals(512, exact.length());
        for (String text : List.of(exact, exact + ".", "Subject: y\r\n\r\n.dot\r\nend\r\n")) {
            DeliveryReport report = await(agent.deliver(request(recipients("a@example.test"), content(text),
                    hop(mx.port()))), 10);
            assertEquals(Outcome.DELIVERED, report.outcomes().get(0).outcome(), report.toString());
            String expected = text.endsWith("\r\n") ? text : text + "\r\n";
            assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), mx.messages.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void oneRejectedRecipientBouncesAloneOthersAreDelivered() throws Exception {
        mx.rcptReply = rcpt -> rcpt.startsWith("b@") ? "550 5.1.1 no such user" : "250 2.1.5 ok";
        DeliveryReport report = await(agent.deliver(request(
                recipients("a@example.test", "b@example.test", "c@example.test"), content("x\r\n"),
                hop(mx.port()))), 10);

        List<Outcome> outcomes = report.outcomes().stream().map(RecipientOutcome::outcome).toList();
        assertEquals(List.of(Outcome.DELIVERED, Outcome.BOUNCED, Outcome.DELIVERED), outcomes);
        assertEquals("b@example.test", report.outcomes().get(1).recipient().address().toString());
        assertEquals(550, report.outcomes().get(1).reply().code());
        assertEquals("5.1.1", report.outcomes().get(1).reply().enhancedStatus());
        assertEquals(1, mx.messages.size());
    }

    @Test
    void transientReplyToRcptDefersThatRecipient() throws Exception {
        mx.rcptReply = rcpt -> rcpt.startsWith("b@") ? "450 4.2.1 try later" : "250 2.1.5 ok";
        DeliveryReport report = await(agent.deliver(request(recipients("a@example.test", "b@example.test"),
                content("x\r\n"), hop(mx.port()))), 10);

        assertEquals(Outcome.DELIVERED, report.outcomes().get(0).outcome());
        assertEquals(Outcome.DEFERRED, report.outcomes().get(1).outcome());
        assertEquals(450, report.outcomes().get(1).reply().code());
    }

    @Test
    void transientReplyToDataDefersAllRecipients() throws Exception {
        mx.dataReply = "451 4.3.0 not now";
        DeliveryReport report = await(agent.deliver(request(recipients("a@example.test", "b@example.test"),
                content("x\r\n"), hop(mx.port()))), 10);

        for (RecipientOutcome o : report.outcomes()) {
            assertEquals(Outcome.DEFERRED, o.outcome());
            assertEquals(451, o.reply().code());
        }
        assertTrue(mx.messages.isEmpty());
    }

    @Test
    void transientReplyToTheFinalDotDefersAndPermanentBounces() throws Exception {
        mx.finalReply = "452 4.3.1 disk full";
        DeliveryReport deferred = await(agent.deliver(request(recipients("a@example.test"), content("x\r\n"),
                hop(mx.port()))), 10);
        mx.finalReply = "554 5.7.1 spam";
        DeliveryReport bounced = await(agent.deliver(request(recipients("a@example.test"), content("x\r\n"),
                hop(mx.port()))), 10);

        assertEquals(Outcome.DEFERRED, deferred.outcomes().get(0).outcome());
        assertEquals(Outcome.BOUNCED, bounced.outcomes().get(0).outcome());
        assertEquals("5.7.1", bounced.outcomes().get(0).reply().enhancedStatus());
    }

    @Test
    void fallsBackToHeloWhenEhloIsRejected() throws Exception {
        mx.ehlo = false;
        DeliveryReport report = await(agent.deliver(request(recipients("a@example.test"), content("x\r\n"),
                hop(mx.port()))), 10);

        assertEquals(Outcome.DELIVERED, report.outcomes().get(0).outcome());
        assertTrue(mx.commands.contains("HELO sluice.test"), mx.commands.toString());
        assertTrue(mx.commands.stream().filter(c -> c.startsWith("MAIL")).allMatch(c -> c.equals(
                "MAIL FROM:<sender@origin.test>")), "no ESMTP parameters after HELO: " + mx.commands);
    }

    @Test
    void tooLargeForTheAnnouncedSizeBouncesWithoutSending() throws Exception {
        mx.extensions.remove("SIZE 10000000");
        mx.extensions.add("SIZE 100");
        DeliveryReport report = await(agent.deliver(request(recipients("a@example.test"),
                content("x".repeat(200) + "\r\n"), hop(mx.port()))), 10);

        RecipientOutcome o = report.outcomes().get(0);
        assertEquals(Outcome.BOUNCED, o.outcome());
        assertEquals(552, o.reply().code());
        assertEquals("5.3.4", o.reply().enhancedStatus());
        assertTrue(mx.commands.stream().noneMatch(c -> c.startsWith("MAIL")), mx.commands.toString());
    }

    @Test
    void sizeIsAnnouncedWhenOffered() throws Exception {
        await(agent.deliver(request(recipients("a@example.test"), content("12345\r\n"), hop(mx.port()))), 10);
        assertTrue(mx.commands.contains("MAIL FROM:<sender@origin.test> SIZE=7"), mx.commands.toString());
    }

    @Test
    void internationalAddressNeedsSmtpUtf8() throws Exception {
        shaper.limits = new PathLimits(10, Rate.parse("10/s"), 1, Rate.parse("10/s"), 10);
        List<Recipient> rcpts = List.of(Recipient.of(MailAddress.parse("用户@example.test")));
        DeliveryReport sent = await(agent.deliver(request(Fixtures.envelope(rcpts, true), content("x\r\n"),
                hop(mx.port()))), 10);
        assertEquals(Outcome.DELIVERED, sent.outcomes().get(0).outcome());
        assertTrue(mx.commands.stream().anyMatch(c -> c.startsWith("MAIL") && c.endsWith(" SMTPUTF8")));
        assertTrue(mx.commands.contains("RCPT TO:<用户@example.test>"), mx.commands.toString());

        noReuse();
        mx.extensions.remove("SMTPUTF8");
        mx.commands.clear();
        DeliveryReport bounced = await(agent.deliver(request(Fixtures.envelope(rcpts, true), content("x\r\n"),
                hop(mx.port()))), 10);
        assertEquals(Outcome.BOUNCED, bounced.outcomes().get(0).outcome());
        assertEquals("5.6.7", bounced.outcomes().get(0).reply().enhancedStatus());
        assertTrue(mx.commands.stream().noneMatch(c -> c.startsWith("MAIL")), mx.commands.toString());
    }

    @Test
    void dsnParametersArePassedOnlyWhenOffered() throws Exception {
        shaper.limits = new PathLimits(10, Rate.parse("10/s"), 1, Rate.parse("10/s"), 10);
        Recipient r = new Recipient(MailAddress.parse("a@example.test"), Set.of(Notify.SUCCESS, Notify.FAILURE),
                "rfc822;a+x@example.test");
        await(agent.deliver(request(List.of(r), content("x\r\n"), hop(mx.port()))), 10);
        assertTrue(mx.commands.contains("RCPT TO:<a@example.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a+2Bx@example.test"),
                mx.commands.toString());

        noReuse();
        mx.extensions.remove("DSN");
        mx.commands.clear();
        await(agent.deliver(request(List.of(r), content("x\r\n"), hop(mx.port()))), 10);
        assertTrue(mx.commands.contains("RCPT TO:<a@example.test>"), mx.commands.toString());
        assertFalse(mx.commands.stream().anyMatch(c -> c.contains("NOTIFY")));
    }
}
