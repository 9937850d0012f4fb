package dev.sluice.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RFC 5321 sequencing and replies over a real socket. */
class SessionSequenceTest {

    private final TestServer server = TestServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void greetingAndEhloCapabilities() throws Exception {
        try (SmtpTestClient c = server.connect()) {
            assertEquals("220 mx.test ESMTP Sluice", c.expect(220));
            c.send("EHLO client.test");
            String ehlo = c.expect(250);
            for (String keyword : new String[] {"PIPELINING", "SIZE 52428800", "8BITMIME", "SMTPUTF8",
                "ENHANCEDSTATUSCODES", "DSN", "CHUNKING"}) {
                assertTrue(ehlo.contains("250-" + keyword) || ehlo.contains("250 " + keyword), ehlo);
            }
            assertFalse(ehlo.contains("STARTTLS"), "no key material, no STARTTLS: " + ehlo);
            assertFalse(ehlo.contains("AUTH"), ehlo);
            c.send("QUIT");
            c.expect(221, "2.0.0");
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void sequenceErrors() throws Exception {
        try (SmtpTestClient c = server.connect()) {
            c.expect(220);
            c.send("MAIL FROM:<a@b.test>");
            c.expect(503, "5.5.1");
            c.send("RCPT TO:<a@b.test>");
            c.expect(503, "5.5.1");
            c.send("DATA");
            c.expect(503, "5.5.1");
            c.send("HELO client.test");
            assertEquals("250 mx.test Hello client.test [127.0.0.1]", c.expect(250));
            c.send("MAIL FROM:<a@b.test> SIZE=10");
            c.expect(555, "5.5.4");
            c.send("MAIL FROM:<a@b.test>");
            c.expect(250, "2.1.0");
            c.send("MAIL FROM:<a@b.test>");
            c.expect(503, "5.5.1");
            c.send("DATA");
            c.expect(554, "5.5.1");
            c.send("RSET");
            c.expect(250, "2.0.0");
            c.send("RCPT TO:<a@b.test>");
            c.expect(503, "5.5.1");
        }
    }

    @Test
    void syntaxAndUnknownCommands() throws Exception {
        try (SmtpTestClient c = server.greeted()) {
            c.send("FROB");
            c.expect(500, "5.5.2");
            c.send("EXPN staff");
            c.expect(502, "5.5.1");
            c.send("MAIL FROM:<not an address>");
            c.expect(501, "5.1.7");
            c.send("MAIL FROM:<a@b.test> FOO=BAR");
            c.expect(555, "5.5.4");
            c.send("VRFY someone");
            c.expect(252, "2.5.0");
            c.send("HELP");
            c.expect(214, "2.0.0");
            c.send("NOOP");
            c.expect(250, "2.0.0");
        }
    }

    @Test
    void tooManyBadCommandsCloseWith421() throws Exception {
        try (SmtpTestClient c = server.greeted()) {
            for (int i = 0; i < 9; i++) {
                c.send("BOGUS");
                c.expect(500);
            }
            c.send("BOGUS");
            c.expect(500);
            c.expect(421, "4.7.0");
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void pipelinedBatchIsAnsweredInOrder() throws Exception {
        try (SmtpTestClient c = server.greeted()) {
            c.raw("MAIL FROM:<a@b.test>\r\nRCPT TO:<x@y.test>\r\nRCPT TO:<bad>\r\nRCPT TO:<z@y.test>\r\nDATA\r\n");
            c.expect(250, "2.1.0");
            c.expect(250, "2.1.5");
            c.expect(501, "5.1.3");
            c.expect(250, "2.1.5");
            c.expect(354);
            c.raw("Subject: one\r\n\r\nbody\r\n.\r\nMAIL FROM:<>\r\nRCPT TO:<q@y.test>\r\nDATA\r\n");
            assertTrue(c.expect(250, "2.0.0").contains("queued as Q1"));
            c.expect(250);
            c.expect(250);
            c.expect(354);
            c.raw("\r\n.\r\nNOOP\r\nQUIT\r\n");
            c.expect(250, "2.0.0");
            c.expect(250);
            c.expect(221);
        }
        assertEquals(2, server.queue.committed.size());
        FakeQueue.Stored first = server.queue.committed.get(0);
        assertEquals(2, first.envelope().recipients().size());
        assertEquals("Subject: one\r\n\r\nbody\r\n", new String(first.body(), "UTF-8"));
        assertTrue(first.text().startsWith("Received: from client.test ([127.0.0.1])\r\n\tby mx.test (Sluice) with "
                + "ESMTP id Q1;\r\n\t"), first.text());
        assertTrue(server.queue.committed.get(1).envelope().sender().isNull());
    }

    @Test
    void postmasterAndUtf8Addresses() throws Exception {
        try (SmtpTestClient c = server.greeted()) {
            c.send("MAIL FROM:<a@b.test>");
            c.expect(250);
            c.send("RCPT TO:<Postmaster>");
            c.expect(250);
            c.send("RCPT TO:<用户@例子.test>");
            c.expect(553, "5.6.7");
            c.send("RSET");
            c.expect(250);
            c.send("MAIL FROM:<a@b.test> SMTPUTF8");
            c.expect(250);
            c.send("RCPT TO:<用户@例子.test>");
            c.expect(250);
        }
    }
}
