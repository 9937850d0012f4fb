package dev.sluice.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.ClientIdentity;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.ratelimit.InboundLimiter;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The optional InboundLimiter is asked at connect, MAIL and RCPT, and told about disconnects. */
class LimiterTest {

    /**
     * Records the calls (and in {@code threads} the thread of each); refuses RCPT when told to, and the next MAIL
     * with {@code refuseNextMail} if set.
     */
    static final class Recording implements InboundLimiter {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        volatile boolean refuseRcpt;
        volatile Reply refuseNextMail;

        private void note(String call) {
            threads.add(call + "@" + Thread.currentThread().getName());
            calls.add(call);
        }

        @Override
        public Optional<Reply> admitConnection(InetAddress client) {
            note("connect");
            return Optional.empty();
        }

        @Override
        public void disconnected(InetAddress client) {
            note("disconnected");
        }

        @Override
        public Optional<Reply> admitMessage(ClientIdentity client) {
            note("mail");
            Reply refusal = refuseNextMail;
            refuseNextMail = null;
            return Optional.ofNullable(refusal);
        }

        @Override
        public Optional<Reply> admitRecipient(ClientIdentity client) {
            note("rcpt");
            return refuseRcpt ? Optional.of(Reply.of(452, "4.7.0", "Slow down")) : Optional.empty();
        }

        @Override
        public Optional<Reply> admitAuthentication(InetAddress client) {
            return Optional.empty();
        }

        @Override
        public void authenticationFailed(InetAddress client) {
        }
    }

    @Test
    void limiterIsConsulted() throws Exception {
        Recording limiter = new Recording();
        try (TestServer server = TestServer.start()) {
            server.listener.setInboundLimiter(limiter);
            try (SmtpTestClient c = server.greeted()) {
                c.send("MAIL FROM:<a@b.test>");
                c.expect(250);
                c.send("RCPT TO:<x@y.test>");
                c.expect(250);
                limiter.refuseRcpt = true;
                c.send("RCPT TO:<z@y.test>");
                c.expect(452, "4.7.0");
                c.send("QUIT");
                c.expect(221);
                assertTrue(c.closedByServer());
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!limiter.calls.contains("disconnected") && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        }
        assertEquals(List.of("connect", "mail", "rcpt", "rcpt", "disconnected"), limiter.calls);
    }
}
