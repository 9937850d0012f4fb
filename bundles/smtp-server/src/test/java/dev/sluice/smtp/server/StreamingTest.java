package dev.sluice.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.mina.core.session.IoSession;
import org.junit.jupiter.api.Test;

/**
 * The body streams into the queue's writer, and a writer slower than the network stops reading from the socket:
 * what a session holds in memory is bounded by the read throttle, not by the message size. So many senders of
 * large messages cost (sessions × bound), never (sessions × message size).
 */
class StreamingTest {

    private static final int SENDERS = 2;
    private static final int MESSAGE_BYTES = 10 * 1024 * 1024;
    /** The throttle's limit plus one MINA read buffer (at most 64 KB) arriving as reading is suspended, twice. */
    private static final long BOUND = ReadThrottle.MAX_PENDING_BYTES + 2 * 65536;

    @Test
    void aStalledQueueWriterStopsTheReadsSoEachSessionHoldsABoundedAmount() throws Exception {
        byte[] body = ("x".repeat(998) + "\r\n").repeat(MESSAGE_BYTES / 1000).getBytes(StandardCharsets.US_ASCII);
        try (TestServer server = TestServer.start()) {
            List<SmtpTestClient> clients = new ArrayList<>();
            List<CompletableFuture<Void>> sending = new ArrayList<>();
            CountDownLatch gate = new CountDownLatch(1);
            try {
                for (int i = 0; i < SENDERS; i++) {
                    SmtpTestClient c = server.greeted();
                    clients.add(c);
                    c.send("MAIL FROM:<a@b.test> SIZE=" + MESSAGE_BYTES);
                    c.expect(250);
                    c.send("RCPT TO:<big" + i + "@y.test>");
                    c.expect(250);
                    c.send("DATA");
                    c.expect(354);
                }
                long writtenBefore = server.queue.written.get(); // the Received headers
                server.queue.writeGate = gate;
                for (SmtpTestClient c : clients) {
                    sending.add(CompletableFuture.runAsync(() -> {
                        try {
                            c.raw(body);
                            c.raw(".\r\n");
                        } catch (java.io.IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }));
                }
                TestServer.await(() -> server.listener.sessions().size() == SENDERS
                        && server.listener.sessions().stream().allMatch(IoSession::isReadSuspended),
                        "every session to stop reading while the queue does not take its bytes");
                long held = 0;
                for (IoSession io : server.listener.sessions()) {
                    assertTrue(io.getReadBytes() <= BOUND, "session read " + io.getReadBytes()
                            + " bytes while its writer took none; the bound is " + BOUND);
                    held += io.getReadBytes();
                }
                assertEquals(writtenBefore, server.queue.written.get(), "the gate held every write");
                assertTrue(held <= SENDERS * BOUND, "held " + held);
            } finally {
                gate.countDown();
            }
            for (CompletableFuture<Void> s : sending) {
                s.get(60, TimeUnit.SECONDS);
            }
            for (SmtpTestClient c : clients) {
                c.expect(250, "2.0.0");
                c.close();
            }
            assertEquals(SENDERS, server.queue.committed.size());
            for (FakeQueue.Stored stored : server.queue.committed) {
                assertEquals(body.length, stored.body().length);
            }
        }
    }
}
