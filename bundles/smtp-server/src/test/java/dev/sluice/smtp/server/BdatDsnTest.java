package dev.sluice.smtp.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.BodyType;
import dev.sluice.api.mail.DsnReturn;
import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.Notify;
import dev.sluice.api.mail.Recipient;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CHUNKING/BDAT (RFC 3030) and DSN parameters (RFC 3461) recorded in the envelope. */
class BdatDsnTest {

    private final TestServer server = new TestServer(TestConfig.loopback().with("maxMessageSizeBytes", 5000L));

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void chunksArriveVerbatim() throws Exception {
        try (SmtpTestClient c = server.greeted()) {
            c.send("MAIL FROM:<a@b.test> BODY=8BITMIME");
            c.expect(250);
            c.send("RCPT TO:<x@y.test>");
            c.expect(250);
            c.raw("BDAT 14\r\nSubject: x\r\n\r\n");
            c.expect(250, "2.0.0");
            c.raw("BDAT 9 LAST\r\n.\r\nbody\r\n");
            assertTrue(c.expect(250, "2.0.0").contains("queued as"));
            c.raw("MAIL FROM:<a@b.test>\r\nRCPT TO:<x@y.test>\r\nBDAT 0 LAST\r\n");
            c.expect(250);
            c.expect(250);
            c.expect(250);
        }
        assertArrayEquals("Subject: x\r\n\r\n.\r\nbody\r\n".getBytes(StandardCharsets.UTF_8),
                server.queue.committed.get(0).body());
        assertEquals(BodyType.EIGHT_BIT_MIME, server.queue.committed.get(0).envelope().bodyType());
        assertEquals(0, server.queue.committed.get(1).body().length);
    }

    @Test
    void bdatOutOfSequenceConsumesTheChunk() throws Exception {
        try (SmtpTestClient c = server.greeted()) {
            c.raw("BDAT 12\r\nQUIT\r\nQUIT\r\n"); // the 12 bytes are data, not commands
            c.expect(503, "5.5.1");
            c.send("NOOP");
            c.expect(250);
            c.send("MAIL FROM:<a@b.test>");
            c.expect(250);
            c.send("RCPT TO:<x@y.test>");
            c.expect(250);
            c.raw("BDAT 3\r\nabc");
            c.expect(250);
            c.send("DATA");
            c.expect(503, "5.5.1");
        }
    }

    @Test
    void oversizedChunksFailTheTransactionUntilLast() throws Exception {
        try (SmtpTestClient c = server.greeted()) {
            c.send("MAIL FROM:<a@b.test>");
            c.expect(250);
            c.send("RCPT TO:<x@y.test>");
            c.expect(250);
            c.raw("BDAT 6000\r\n" + "x".repeat(6000));
            c.expect(552, "5.3.4");
            c.raw("BDAT 3 LAST\r\nabc");
            c.expect(552, "5.3.4");
            c.send("MAIL FROM:<a@b.test>");
            c.expect(250); // LAST ended the failed transaction
        }
        assertEquals(0, server.queue.committed.size());
        assertEquals(1, server.queue.aborted.get());
    }

    @Test
    void bareLineEndsInChunksAreRefused() throws Exception {
        try (SmtpTestClient c = server.greeted()) {
            c.send("MAIL FROM:<a@b.test>");
            c.expect(250);
            c.send("RCPT TO:<x@y.test>");
            c.expect(250);
            c.raw("BDAT 7 LAST\r\na\n.\nb\r\n");
            c.expect(550, "5.6.0");
        }
        assertEquals(0, server.queue.committed.size());
    }

    @Test
    void dsnParametersAreRecorded() throws Exception {
        try (SmtpTestClient c = server.greeted()) {
            c.send("MAIL FROM:<a@b.test> RET=HDRS ENVID=abc+2Bdef SIZE=100");
            c.expect(250);
            c.send("RCPT TO:<x@y.test> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;x+40y.test");
            c.expect(250);
            c.send("RCPT TO:<z@y.test> NOTIFY=NEVER");
            c.expect(250);
            c.send("RCPT TO:<w@y.test>");
            c.expect(250);
            c.send("RCPT TO:<v@y.test> NOTIFY=NEVER,SUCCESS");
            c.expect(501, "5.5.4");
            c.send("DATA");
            c.expect(354);
            c.raw("hi\r\n.\r\n");
            c.expect(250);
        }
        Envelope e = server.queue.committed.get(0).envelope();
        assertEquals(DsnReturn.HEADERS, e.dsnReturn());
        assertEquals("abc+def", e.envelopeId());
        assertEquals(100, e.declaredSize());
        Recipient x = e.recipients().get(0);
        assertEquals(Set.of(Notify.SUCCESS, Notify.DELAY), x.notifyOn());
        assertEquals("rfc822;x@y.test", x.originalRecipient());
        assertEquals(Set.of(Notify.NEVER), e.recipients().get(1).notifyOn());
        assertNull(e.recipients().get(2).originalRecipient());
        assertEquals(3, e.recipients().size());
    }
}
