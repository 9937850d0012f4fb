package dev.sluice.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Where a session's work runs: commands that cannot block on the I/O thread (no hand-off), the spool file on a
 * worker, and a pipelined group that crosses from one to the other still answered in order.
 */
class SessionThreadsTest {

    private static final String WORKER = "sluice-smtp-";

    @Test
    void commandsRunOnTheIoThreadAndTheSpoolFileOnAWorker() throws Exception {
        LimiterTest.Recording limiter = new LimiterTest.Recording();
        try (TestServer server = TestServer.start()) {
            server.listener.setInboundLimiter(limiter);
            try (SmtpTestClient c = server.greeted()) {
                for (int i = 0; i < 2; i++) {
                    c.sendMessage("a" + i + "@b.test", "x" + i + "@y.test", "Subject: " + i + "\r\n\r\nbody\r\n");
                    c.expect(250, "2.0.0");
                }
            }
            assertEquals(2, server.queue.openThreads.size());
            for (String t : server.queue.openThreads) {
                assertTrue(t.startsWith(WORKER), "spool file opened on a worker, not on " + t);
            }
        }
        // connect, MAIL and RCPT while nothing of the session is on a worker: no hand-off (the second message's
        // may find the worker still finishing the first one and queue behind it, which is fine)
        assertEquals(5, limiter.calls.stream().filter(c -> !c.equals("disconnected")).count(),
                limiter.calls.toString());
        for (String call : limiter.threads.subList(0, 3)) {
            assertFalse(call.contains("@" + WORKER), "no hand-off for " + call + " in " + limiter.threads);
        }
    }

    @Test
    void aPipelinedGroupCrossingToTheWorkerIsAnsweredInOrder() throws Exception {
        try (TestServer server = TestServer.start(); SmtpTestClient c = server.connect()) {
            c.expect(220);
            c.raw("EHLO client.test\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@y.test>\r\nDATA\r\n"
                    + "Subject: one\r\n\r\nbody\r\n.\r\nMAIL FROM:<c@b.test>\r\nRCPT TO:<z@y.test>\r\nNOOP\r\n");
            c.expect(250);
            c.expect(250, "2.1.0");
            c.expect(250, "2.1.5");
            c.expect(354);
            c.expect(250, "2.0.0");
            c.expect(250, "2.1.0");
            c.expect(250, "2.1.5");
            c.expect(250, "2.0.0");
            c.send("DATA");
            c.expect(354);
            c.raw("Subject: two\r\n\r\nbody\r\n.\r\nQUIT\r\n");
            c.expect(250, "2.0.0");
            c.expect(221);
            assertTrue(c.closedByServer());
            assertEquals(2, server.queue.committed.size());
        }
    }
}
