package dev.sluice.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SMTP smuggling (CVE-2023-51764 class) and line-length limits, over a real socket. */
class SmugglingTest {

    private static final TestServer SERVER = TestServer.start();

    @AfterAll
    static void stop() {
        SERVER.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\r\n.\n", "\n.\r\n", "\r.\r\n", "\n.\r"})
    void fakeTerminatorNeitherEndsTheMessageNorStartsASecondOne(String fake) throws Exception {
        int before = SERVER.queue.committed.size();
        int abortedBefore = SERVER.queue.aborted.get();
        try (SmtpTestClient c = SERVER.greeted()) {
            c.sendMessage("a@b.test", "x@y.test", "Subject: smuggle\r\n\r\nhello" + fake
                    + "MAIL FROM:<admin@bank.test>\r\nRCPT TO:<victim@y.test>\r\nDATA\r\n"
                    + "From: admin@bank.test\r\n\r\nsend money\r\n");
            c.expect(550, "5.6.0");
            // The smuggled commands were data: the session is back at the start, one reply per command.
            c.send("NOOP");
            c.expect(250, "2.0.0");
        }
        assertEquals(before, SERVER.queue.committed.size());
        assertEquals(abortedBefore + 1, SERVER.queue.aborted.get());
    }

    @Test
    void bareLfInsideALineIsRejected() throws Exception {
        try (SmtpTestClient c = SERVER.greeted()) {
            c.sendMessage("a@b.test", "x@y.test", "line one\nline two\r\n");
            c.expect(550, "5.6.0");
        }
    }

    @Test
    void dotStuffingIsRemoved() throws Exception {
        try (SmtpTestClient c = SERVER.greeted()) {
            c.sendMessage("a@b.test", "x@y.test", "..leading dot\r\n...\r\n. space\r\n");
            String reply = c.expect(250, "2.0.0");
            String id = reply.substring(reply.lastIndexOf(' ') + 1);
            FakeQueue.Stored stored = SERVER.queue.committed.stream()
                    .filter(s -> s.id().value().equals(id)).findFirst().orElseThrow();
            assertEquals(".leading dot\r\n..\r\n space\r\n", new String(stored.body(), "UTF-8"));
        }
    }

    @Test
    void commandLineLimitIs512Octets() throws Exception {
        try (SmtpTestClient c = SERVER.greeted()) {
            c.send("NOOP " + "x".repeat(505));
            c.expect(250);
            c.send("NOOP " + "x".repeat(506));
            c.expect(500, "5.5.2");
            c.send("MAIL FROM:<" + "a".repeat(100_000) + "@b.test>");
            c.expect(500, "5.5.2");
            c.send("NOOP");
            c.expect(250);
        }
    }

    @Test
    void textLineLimitIs1000Octets() throws Exception {
        try (SmtpTestClient c = SERVER.greeted()) {
            c.sendMessage("a@b.test", "x@y.test", "x".repeat(998) + "\r\n");
            c.expect(250);
            c.sendMessage("a@b.test", "x@y.test", "x".repeat(999) + "\r\n");
            c.expect(500, "5.5.2");
            c.send("NOOP");
            c.expect(250);
        }
    }
}
