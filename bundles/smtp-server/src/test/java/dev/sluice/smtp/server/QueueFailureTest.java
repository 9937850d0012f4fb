package dev.sluice.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.queue.QueueException;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Missing, failing and replaced queues: 451 (or the queue's reply) and nothing half-written. */
class QueueFailureTest {

    private final TestServer server = TestServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void missingQueueIs451AtMail() throws Exception {
        server.listener.unsetMailQueue(server.queue);
        try (SmtpTestClient c = server.greeted()) {
            c.send("MAIL FROM:<a@b.test>");
            c.expect(451, "4.3.0");
            server.listener.setMailQueue(server.queue);
            c.sendMessage("a@b.test", "x@y.test", "hi\r\n");
            c.expect(250); // carries on once the queue is back
        }
    }

    @Test
    void queueGoneBeforeDataIs451() throws Exception {
        try (SmtpTestClient c = server.greeted()) {
            c.send("MAIL FROM:<a@b.test>");
            c.expect(250);
            c.send("RCPT TO:<x@y.test>");
            c.expect(250);
            server.listener.unsetMailQueue(server.queue);
            c.send("DATA");
            c.expect(451, "4.3.0");
        }
    }

    @Test
    void openRefusalIsPassedOn() throws Exception {
        server.queue.failOpen = QueueException.lowOnSpace("disk full");
        try (SmtpTestClient c = server.greeted()) {
            c.send("MAIL FROM:<a@b.test>");
            c.expect(250);
            c.send("RCPT TO:<x@y.test>");
            c.expect(250);
            c.send("DATA");
            c.expect(452, "4.3.1");
        }
    }

    @Test
    void commitFailureIs451AndAborts() throws Exception {
        server.queue.failCommit = QueueException.ioError("fsync failed", new IOException("EIO"));
        try (SmtpTestClient c = server.greeted()) {
            c.sendMessage("a@b.test", "x@y.test", "hi\r\n");
            c.expect(451, "4.3.0");
            c.send("NOOP");
            c.expect(250);
        }
        assertEquals(0, server.queue.committed.size());
        assertEquals(1, server.queue.aborted.get());
    }

    @Test
    void writeFailureMidDataIs451AndAborts() throws Exception {
        try (SmtpTestClient c = server.greeted()) {
            c.startData("a@b.test", "x@y.test");
            c.raw("Subject: first part\r\n\r\n");
            server.queue.failWrites = true;
            c.raw("x".repeat(500) + "\r\n.\r\n");
            c.expect(451, "4.3.0");
            server.queue.failWrites = false;
            c.sendMessage("a@b.test", "x@y.test", "retry\r\n");
            c.expect(250, "2.0.0");
        }
        assertEquals(1, server.queue.aborted.get());
        assertEquals(1, server.queue.committed.size());
    }

    @Test
    void queueReplacedMidTransactionFailsIt() throws Exception {
        FakeQueue replacement = new FakeQueue();
        try (SmtpTestClient c = server.greeted()) {
            c.startData("a@b.test", "x@y.test");
            c.raw("part one\r\n");
            server.listener.setMailQueue(replacement); // greedy: the new one is bound first
            server.listener.unsetMailQueue(server.queue);
            c.raw("part two\r\n.\r\n");
            c.expect(451, "4.3.0");
            c.sendMessage("a@b.test", "x@y.test", "retry\r\n");
            c.expect(250);
        }
        assertEquals(1, server.queue.aborted.get());
        assertEquals(0, server.queue.committed.size());
        assertEquals(1, replacement.committed.size());
    }

    @Test
    void shutdownSays421() throws Exception {
        try (SmtpTestClient c = server.greeted()) {
            c.startData("a@b.test", "x@y.test");
            c.raw("half a message\r\n");
            server.close();
            c.expect(421, "4.3.2");
            assertTrue(c.closedByServer());
        }
        assertEquals(0, server.queue.committed.size());
        assertEquals(1, server.queue.aborted.get());
    }
}
