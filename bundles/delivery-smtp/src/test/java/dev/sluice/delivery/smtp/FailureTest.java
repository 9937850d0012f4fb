package dev.sluice.delivery.smtp;

import static dev.sluice.delivery.smtp.Fixtures.await;
import static dev.sluice.delivery.smtp.Fixtures.config;
import static dev.sluice.delivery.smtp.Fixtures.content;
import static dev.sluice.delivery.smtp.Fixtures.hop;
import static dev.sluice.delivery.smtp.Fixtures.recipients;
import static dev.sluice.delivery.smtp.Fixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.delivery.DeliveryReport;
import dev.sluice.api.delivery.Outcome;
import dev.sluice.api.delivery.RecipientOutcome;
import dev.sluice.api.mail.MessageContent;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hosts that refuse, stall, talk nonsense or go away: next hop, then DEFERRED, never a hang. */
class FailureTest {
    private FakeShaper shaper;
    private SmtpDeliveryAgent agent;
    private FakeMx mx1;
    private FakeMx mx2;

    @BeforeEach
    void setUp() throws Exception {
        shaper = new FakeShaper();
        agent = new SmtpDeliveryAgent(shaper, config("greetingTimeoutSeconds", 1, "mailTimeoutSeconds", 1,
                "commandTimeoutSeconds", 1));
        mx1 = new FakeMx();
        mx2 = new FakeMx();
    }

    @AfterEach
    void tearDown() throws Exception {
        agent.deactivate();
        mx1.close();
        mx2.close();
    }

    @Test
    void a421GreetingMovesOnToTheNextHop() throws Exception {
        mx1.greeting = "421 4.3.2 too busy";
        DeliveryReport report = await(agent.deliver(request(recipients("a@example.test"), content("x\r\n"),
                hop(mx1.port()), hop(mx2.port()))), 10);

        assertEquals(Outcome.DELIVERED, report.outcomes().get(0).outcome());
        assertEquals(1, mx1.connections.get());
        assertEquals(1, mx2.messages.size());
    }

    @Test
    void a421OnEveryHopDefersWithTheRemoteReply() throws Exception {
        mx1.greeting = "421 4.3.2 too busy";
        mx2.greeting = "421 4.7.0 go away";
        RecipientOutcome o = await(agent.deliver(request(recipients("a@example.test"), content("x\r\n"),
                hop(mx1.port()), hop(mx2.port()))), 10).outcomes().get(0);

        assertEquals(Outcome.DEFERRED, o.outcome());
        assertEquals(421, o.reply().code());
        assertEquals("4.7.0", o.reply().enhancedStatus());
        assertEquals("mx.test[127.0.0.1]", o.remoteHost());
    }

    @Test
    void a421AtRcptMovesOnToTheNextHop() throws Exception {
        mx1.rcptReply = rcpt -> "421 4.4.5 shutting down";
        DeliveryReport report = await(agent.deliver(request(recipients("a@example.test", "b@example.test"),
                content("x\r\n"), hop(mx1.port()), hop(mx2.port()))), 10);

        assertTrue(report.outcomes().stream().allMatch(o -> o.outcome() == Outcome.DELIVERED));
        assertEquals(1, mx2.messages.size());
        assertTrue(mx1.messages.isEmpty());
    }

    @Test
    void a421AtRcptWithoutPipeliningMovesOnToo() throws Exception {
        mx1.extensions.remove("PIPELINING");
        mx1.rcptReply = rcpt -> rcpt.startsWith("b@") ? "421 4.4.5 shutting down" : "250 2.1.5 ok";
        DeliveryReport report = await(agent.deliver(request(recipients("a@example.test", "b@example.test"),
                content("x\r\n"), hop(mx1.port()), hop(mx2.port()))), 10);

        assertTrue(report.outcomes().stream().allMatch(o -> o.outcome() == Outcome.DELIVERED), report.toString());
        assertEquals(1, mx2.messages.size());
        assertTrue(mx1.messages.isEmpty());
    }

    @Test
    void aRefusedConnectionMovesOnThenDefers() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        DeliveryReport viaSecond = await(agent.deliver(request(recipients("a@example.test"), content("x\r\n"),
                hop(closedPort), hop(mx2.port()))), 10);
        assertEquals(Outcome.DELIVERED, viaSecond.outcomes().get(0).outcome());

        RecipientOutcome o = await(agent.deliver(request(recipients("a@example.test"), content("x\r\n"),
                hop(closedPort))), 10).outcomes().get(0);
        assertEquals(Outcome.DEFERRED, o.outcome());
        assertEquals(451, o.reply().code());
        assertEquals("4.4.1", o.reply().enhancedStatus());
        assertEquals("connection refused by mx.test[127.0.0.1]:" + closedPort, o.reply().text());
        assertNull(o.remoteHost());
        assertTrue(shaper.replies.contains(o.reply()), "local failures are reported to the shaper");
        assertEquals(1, shaper.open.get(), "only the idle pooled session to mx2 holds a slot");
        agent.deactivate();
        assertEquals(0, shaper.open.get(), "deactivation closes pooled sessions and frees their slots");
    }

    @Test
    void aServerThatNeverAnswersDefersAfterTheTimeoutAndLeavesNoThread() throws Exception {
        mx1.silent = true;
        long start = System.nanoTime();
        RecipientOutcome o = await(agent.deliver(request(recipients("a@example.test"), content("x\r\n"),
                hop(mx1.port()))), 10).outcomes().get(0);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertEquals(Outcome.DEFERRED, o.outcome());
        assertEquals("4.4.2", o.reply().enhancedStatus());
        assertTrue(o.reply().text().contains("timeout"), o.reply().text());
        assertTrue(millis >= 900 && millis < 5000, "took " + millis + " ms");
        assertTrue(shaper.awaitNoneOpen(Duration.ofSeconds(5)), "the slot is free once the socket is closed");
        agent.deactivate();
        assertEquals(0, Threads.named("sluice-delivery-smtp").size(), Threads.named("sluice-delivery-smtp").toString());
    }

    @Test
    void deactivationEndsInFlightDeliveriesAsDeferred() throws Exception {
        SmtpDeliveryAgent patient = new SmtpDeliveryAgent(shaper, config("greetingTimeoutSeconds", 60));
        mx1.silent = true;
        var stage = patient.deliver(request(recipients("a@example.test"), content("x\r\n"), hop(mx1.port())));
        assertTrue(mx1.commands.isEmpty() || mx1.commands.contains("CONNECT"));
        patient.deactivate();

        RecipientOutcome o = await(stage, 10).outcomes().get(0);
        assertEquals(Outcome.DEFERRED, o.outcome());
        assertEquals(4, o.reply().code() / 100);
        assertEquals(0, shaper.open.get());
    }

    @Test
    void contentIsReadOnlyAsFastAsTheServerTakesIt() throws Exception {
        SmtpDeliveryAgent agent2 = new SmtpDeliveryAgent(shaper, config("dataBlockTimeoutSeconds", 1));
        mx1.stallInData = true;
        mx1.extensions.remove("SIZE 10000000");
        AtomicLong read = new AtomicLong();
        long size = 200L << 20;
        MessageContent huge = new MessageContent() {
            @Override
            public InputStream openStream() {
                return new InputStream() {
                    @Override
                    public int read() {
                        return read.getAndIncrement() < size ? 'x' : -1;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        int n = (int) Math.min(len, size - read.get());
                        if (n <= 0) {
                            return -1;
                        }
                        java.util.Arrays.fill(b, off, off + n, (byte) (read.get() % 80 == 0 ? '\n' : 'x'));
                        read.addAndGet(n);
                        return n;
                    }
                };
            }

            @Override
            public long size() {
                return size;
            }
        };
        try {
            RecipientOutcome o = await(agent2.deliver(request(recipients("a@example.test"), huge,
                    hop(mx1.port()))), 15).outcomes().get(0);
            assertEquals(Outcome.DEFERRED, o.outcome());
            assertTrue(o.reply().text().contains("timeout"), o.reply().text());
            assertTrue(read.get() < 64L << 20, "read " + read.get() + " bytes of a stalled 200 MiB message");
        } finally {
            agent2.deactivate();
        }
    }

    @Test
    void garbageRepliesDefer() throws Exception {
        mx1.greeting = "hello, I am not an SMTP server";
        RecipientOutcome greeting = await(agent.deliver(request(recipients("a@example.test"), content("x\r\n"),
                hop(mx1.port()))), 10).outcomes().get(0);
        assertEquals(Outcome.DEFERRED, greeting.outcome());
        assertEquals("4.5.0", greeting.reply().enhancedStatus());

        mx2.mailReply = "25O ok";
        RecipientOutcome mail = await(agent.deliver(request(recipients("a@example.test"), content("x\r\n"),
                hop(mx2.port()))), 10).outcomes().get(0);
        assertEquals(Outcome.DEFERRED, mail.outcome());
        assertTrue(mail.reply().text().contains("malformed reply"), mail.reply().text());
        assertTrue(shaper.awaitNoneOpen(Duration.ofSeconds(5)), "the slot is free once the socket is closed");
    }

    @Test
    void anOverlongReplyLineDefers() throws Exception {
        mx1.greeting = "220 " + "x".repeat(100_000);
        RecipientOutcome o = await(agent.deliver(request(recipients("a@example.test"), content("x\r\n"),
                hop(mx1.port()))), 10).outcomes().get(0);

        assertEquals(Outcome.DEFERRED, o.outcome());
        assertTrue(o.reply().text().contains("longer than 2048"), o.reply().text());
    }

    @Test
    void noConnectionSlotDefersWith445() throws Exception {
        shaper.maxOpen = 0;
        RecipientOutcome o = await(agent.deliver(request(recipients("a@example.test"), content("x\r\n"),
                hop(mx1.port()))), 10).outcomes().get(0);

        assertEquals(Outcome.DEFERRED, o.outcome());
        assertEquals("4.4.5", o.reply().enhancedStatus());
        assertEquals(0, mx1.connections.get());
    }
}
