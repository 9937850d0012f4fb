package dev.sluice.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.Reply;
import dev.sluice.api.ratelimit.InboundLimiter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The state machine without sockets: a fake connection records replies. */
class SmtpSessionTest {

    private static final class FakeConnection implements Connection {
        final List<Reply> replies = new ArrayList<>();
        boolean closed;
        boolean tlsRequested;
        String tls;

        @Override
        public InetSocketAddress remote() {
            return new InetSocketAddress("127.0.0.1", 40000);
        }

        @Override
        public void send(Reply reply) {
            replies.add(reply);
        }

        @Override
        public void sendAndClose(Reply reply) {
            replies.add(reply);
            closed = true;
        }

        @Override
        public void startTls(Reply ready) {
            replies.add(ready);
            tlsRequested = true;
        }

        @Override
        public String tlsProtocol() {
            return tls;
        }

        @Override
        public String tlsCipher() {
            return tls == null ? null : "TLS_AES_128_GCM_SHA256";
        }

        @Override
        public void idleTimeout(int seconds) {
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public boolean onIoThread() {
            return false;
        }

        @Override
        public void consumed(long bytes) {
        }
    }

    private final FakeQueue queue = new FakeQueue();
    private final FakeConnection conn = new FakeConnection();
    private SmtpSession session;

    SmtpSessionTest() {
        start(TestConfig.loopback(), null);
    }

    /** A new session on {@link #conn} (its replies start afresh). */
    private void start(TestConfig config, InboundLimiter limiter) {
        conn.replies.clear();
        ListenerSettings settings = ListenerSettings.from(config.build(), null);
        Services services = new Services();
        services.queue.set(queue);
        services.limiter.set(limiter);
        session = new SmtpSession(new ListenerContext(settings, services, new ConnectionCounter(10, 10),
                Clock.systemUTC(), new FilterRunner("test", 1)), conn);
        session.start();
    }

    private String feed(String bytes) {
        int before = conn.replies.size();
        session.feed(ByteBuffer.wrap(bytes.getBytes(StandardCharsets.UTF_8)));
        return conn.replies.subList(before, conn.replies.size()).stream()
                .map(r -> r.code() + (r.enhancedStatus() == null ? "" : " " + r.enhancedStatus()))
                .collect(Collectors.joining(","));
    }

    @Test
    void fullTransactionAndSequencing() {
        assertEquals(220, conn.replies.get(0).code());
        assertEquals("503 5.5.1,503 5.5.1,503 5.5.1", feed("MAIL FROM:<a@b.test>\r\nRCPT TO:<x@y.test>\r\nDATA\r\n"));
        assertEquals("250", feed("EHLO c.test\r\n"));
        assertEquals("250 2.1.0,250 2.1.5,354", feed("MAIL FROM:<a@b.test>\r\nRCPT TO:<x@y.test>\r\nDATA\r\n"));
        assertEquals("250 2.0.0", feed("Subject: t\r\n\r\n..x\r\n.\r\n"));
        assertTrue(queue.committed.get(0).text().endsWith("Subject: t\r\n\r\n.x\r\n"));
        assertEquals("500 5.5.2,502 5.5.1,501 5.5.4,555 5.5.4",
                feed("XYZZY\r\nEXPN x\r\nMAIL FROM:<a@b.test> =1\r\nMAIL FROM:<a@b.test> X=1\r\n"));
    }

    @Test
    void startTlsDropsWhatFollowsUntilTlsIsUp() {
        // No key material in this configuration: refused, and what follows is still read.
        assertEquals("250,454 4.7.0,250 2.0.0", feed("EHLO c.test\r\nSTARTTLS\r\nNOOP\r\n"));
        assertTrue(!conn.tlsRequested);
    }

    @Test
    void quitClosesAndIgnoresTheRest() {
        assertEquals("250,221 2.0.0", feed("EHLO c.test\r\nQUIT\r\nNOOP\r\nNOOP\r\n"));
        assertTrue(conn.closed);
    }

    @Test
    void closingReleasesTheSlotAndAbortsTheMessage() {
        feed("EHLO c.test\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@y.test>\r\nDATA\r\npartial");
        session.onClosed();
        assertEquals(1, queue.aborted.get());
        assertEquals(0, queue.committed.size());
    }

    @Test
    void everyReplyButTheGreetingEhloAnd354CarriesAnEnhancedStatusCode() {
        // The first MAIL is refused by a limiter whose reply has no enhanced code: the session adds the generic one.
        LimiterTest.Recording limiter = new LimiterTest.Recording();
        limiter.refuseNextMail = Reply.of(450, null, "Slow down");
        start(TestConfig.loopback().with("maxBadCommands", 1000), limiter);
        String transaction = "MAIL FROM:<a@b.test>\r\nRCPT TO:<x@y.test>\r\nDATA\r\n";
        feed("HELO c.test\r\nEHLO c.test\r\nMAIL FROM:<a@b.test>\r\nMAIL FROM:<a@b.test> SIZE=99999999999\r\n"
                + "MAIL FROM:<a@b.test>\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@y.test>\r\nRCPT TO:<bad\r\n"
                + "RCPT TO:<x@y.test> FOO=1\r\nVRFY x\r\nHELP\r\nNOOP\r\nAUTH PLAIN\r\nSTARTTLS\r\nDATA\r\n"
                + "x\r\n.\r\nBDAT 3\r\nabcRSET\r\nXYZZY\r\nEXPN x\r\n" + "A".repeat(600) + "\r\n"
                + transaction + "y".repeat(1200) + "\r\n.\r\n" + transaction + "a\nb\r\n.\r\nQUIT\r\n");
        List<Reply> replies = conn.replies;
        assertEquals(31, replies.size(), replies.toString());
        assertEquals(Reply.of(450, "4.0.0", "Slow down"), replies.get(3));
        for (int i = 0; i < replies.size(); i++) {
            Reply r = replies.get(i);
            boolean exempt = i == 0 && r.code() == 220 || r.code() == 354
                    || r.code() == 250 && r.text().startsWith("mx.test Hello ");
            if (!exempt) {
                assertTrue(r.enhancedStatus() != null && r.enhancedStatus().charAt(0) == '0' + r.code() / 100,
                        "reply " + i + " has no matching enhanced status code: " + r);
            }
        }
        assertEquals(221, replies.get(replies.size() - 1).code());
    }
}
