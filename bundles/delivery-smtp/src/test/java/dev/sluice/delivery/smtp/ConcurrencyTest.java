package dev.sluice.delivery.smtp;

import static dev.sluice.delivery.smtp.Fixtures.config;
import static dev.sluice.delivery.smtp.Fixtures.content;
import static dev.sluice.delivery.smtp.Fixtures.hop;
import static dev.sluice.delivery.smtp.Fixtures.recipients;
import static dev.sluice.delivery.smtp.Fixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.delivery.DeliveryReport;
import dev.sluice.api.delivery.Outcome;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.filter.codec.textline.LineDelimiter;
import org.apache.mina.filter.codec.textline.TextLineCodecFactory;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.junit.jupiter.api.Test;

/** Hundreds of simultaneous sessions on a bounded number of threads. */
class ConcurrencyTest {
    private static final int SESSIONS = 200;

    @Test
    void twoHundredConcurrentDeliveriesUseABoundedNumberOfThreads() throws Exception {
        Sink sink = new Sink();
        NioSocketAcceptor acceptor = new NioSocketAcceptor(2);
        acceptor.getFilterChain().addLast("lines", new ProtocolCodecFilter(
                new TextLineCodecFactory(StandardCharsets.US_ASCII, LineDelimiter.CRLF, LineDelimiter.AUTO)));
        acceptor.setHandler(sink);
        acceptor.setBacklog(SESSIONS);
        acceptor.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = acceptor.getLocalAddress().getPort();
        FakeShaper shaper = new FakeShaper();
        SmtpDeliveryAgent agent = new SmtpDeliveryAgent(shaper, config("ioThreads", 2, "workerThreads", 2,
                "greetingTimeoutSeconds", 30, "dataTerminationTimeoutSeconds", 30));
        int baseline = Thread.activeCount();
        try {
            List<CompletableFuture<DeliveryReport>> reports = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                reports.add(agent.deliver(request(recipients("r" + i + "@example.test"), content("m " + i + "\r\n"),
                        hop(port))).toCompletableFuture());
            }
            CompletableFuture.allOf(reports.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            for (CompletableFuture<DeliveryReport> r : reports) {
                assertEquals(Outcome.DELIVERED, r.join().outcomes().get(0).outcome(), r.join().toString());
            }
            assertEquals(SESSIONS, sink.messages.get());
            assertEquals(SESSIONS, sink.peakSessions, "all sessions were open at the same time");
            int threadsAtPeak = sink.threadsAtPeak;
            System.out.println("threads: baseline " + baseline + ", with " + SESSIONS + " sessions " + threadsAtPeak);
            // Client: 2 I/O + 1 connector + 2 workers + 1 timer; sink: 2 processors + acceptor; JDK/MINA extras.
            assertTrue(threadsAtPeak - baseline <= 20, "threads at peak " + threadsAtPeak + ", baseline " + baseline);
        } finally {
            agent.deactivate();
            acceptor.dispose(true);
        }
        assertEquals(0, Threads.named("sluice-delivery-smtp").size());
    }

    /** Accepts every message but answers the final dot only when all sessions have sent theirs. */
    private static final class Sink extends IoHandlerAdapter {
        final AtomicInteger messages = new AtomicInteger();
        final ConcurrentLinkedQueue<IoSession> waiting = new ConcurrentLinkedQueue<>();
        final AtomicInteger inData = new AtomicInteger();
        volatile int peakSessions;
        volatile int threadsAtPeak;

        @Override
        public void sessionOpened(IoSession session) {
            session.write("220 sink.test ESMTP");
        }

        @Override
        public void messageReceived(IoSession session, Object message) {
            String line = (String) message;
            boolean data = Boolean.TRUE.equals(session.getAttribute("data"));
            if (data) {
                if (line.equals(".")) {
                    session.setAttribute("data", false);
                    messages.incrementAndGet();
                    waiting.add(session);
                    if (inData.incrementAndGet() == SESSIONS) {
                        peakSessions = SESSIONS;
                        threadsAtPeak = Thread.activeCount();
                        waiting.forEach(s -> s.write("250 2.0.0 ok"));
                    }
                }
                return;
            }
            String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line;
            switch (verb) {
                case "EHLO" -> session.write("250-sink.test\r\n250 PIPELINING");
                case "DATA" -> {
                    session.setAttribute("data", true);
                    session.write("354 go");
                }
                case "QUIT" -> session.write("221 bye").addListener(f -> session.closeNow());
                default -> session.write("250 2.0.0 ok");
            }
        }

        @Override
        public void exceptionCaught(IoSession session, Throwable cause) {
            session.closeNow();
        }
    }
}
