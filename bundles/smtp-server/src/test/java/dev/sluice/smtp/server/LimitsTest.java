package dev.sluice.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each limit and its reply. */
class LimitsTest {

    @Test
    void sizeIsCheckedAtMailAndDuringData() throws Exception {
        try (TestServer server = new TestServer(TestConfig.loopback().with("maxMessageSizeBytes", 1000L));
             SmtpTestClient c = server.greeted()) {
            c.send("MAIL FROM:<a@b.test> SIZE=1001");
            c.expect(552, "5.3.4");
            c.send("MAIL FROM:<a@b.test> SIZE=1000");
            c.expect(250);
            c.send("RCPT TO:<x@y.test>");
            c.expect(250);
            c.send("DATA");
            c.expect(354);
            c.raw(("x".repeat(98) + "\r\n").repeat(20) + ".\r\n");
            c.expect(552, "5.3.4");
            c.send("NOOP");
            c.expect(250);
            assertEquals(0, server.queue.committed.size());
            assertEquals(1, server.queue.aborted.get());
        }
    }

    @Test
    void recipientsPerMessage() throws Exception {
        try (TestServer server = new TestServer(TestConfig.loopback().with("maxRecipients", 3));
             SmtpTestClient c = server.greeted()) {
            c.send("MAIL FROM:<a@b.test>");
            c.expect(250);
            for (int i = 0; i < 3; i++) {
                c.send("RCPT TO:<r" + i + "@y.test>");
                c.expect(250);
            }
            c.send("RCPT TO:<r4@y.test>");
            c.expect(452, "4.5.3");
        }
    }

    @Test
    void sessionsInTotalAndPerClient() throws Exception {
        try (TestServer server = new TestServer(TestConfig.loopback().with("maxSessions", 3)
                .with("maxSessionsPerClient", 2))) {
            List<SmtpTestClient> open = new ArrayList<>();
            try {
                open.add(server.connect());
                open.get(0).expect(220);
                open.add(server.connect());
                open.get(1).expect(220);
                SmtpTestClient third = server.connect();
                open.add(third);
                third.expect(421, "4.7.0");
                assertTrue(third.closedByServer());
                open.get(0).send("QUIT");
                open.get(0).expect(221);
                assertTrue(open.get(0).closedByServer());
                SmtpTestClient again = awaitGreeting(server);
                open.add(again);
            } finally {
                for (SmtpTestClient c : open) {
                    c.close();
                }
            }
        }
        try (TestServer server = new TestServer(TestConfig.loopback().with("maxSessions", 1));
             SmtpTestClient first = server.connect(); SmtpTestClient second = server.connect()) {
            // two I/O threads greet them at the same time: either may win the one slot, never both
            List<String> greetings = List.of(first.reply(), second.reply());
            assertEquals(1, greetings.stream().filter(g -> g.startsWith("220 ")).count(), greetings.toString());
            assertEquals(1, greetings.stream().filter(g -> g.startsWith("421 4.7.0")).count(), greetings.toString());
        }
    }

    /** The slot of a closed session is freed on the worker; poll with a deadline until it is. */
    private static SmtpTestClient awaitGreeting(TestServer server) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            SmtpTestClient c = server.connect();
            String reply = c.reply();
            if (reply.startsWith("220")) {
                return c;
            }
            c.close();
            assertTrue(System.nanoTime() < deadline, "slot never freed: " + reply);
        }
    }

    @Test
    void commandsPerSession() throws Exception {
        try (TestServer server = new TestServer(TestConfig.loopback().with("maxCommandsPerSession", 3));
             SmtpTestClient c = server.greeted()) {
            c.send("NOOP");
            c.expect(250);
            c.send("NOOP");
            c.expect(250);
            c.send("NOOP");
            c.expect(421, "4.7.0");
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void idleClientIsDisconnectedWith421() throws Exception {
        try (TestServer server = new TestServer(TestConfig.loopback().with("commandTimeoutSeconds", 1));
             SmtpTestClient c = server.greeted()) {
            c.expect(421, "4.4.2");
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void tooManyBadCommandsEndTheSession() throws Exception {
        try (TestServer server = new TestServer(TestConfig.loopback().with("maxBadCommands", 3));
             SmtpTestClient c = server.greeted()) {
            c.send("XYZZY");
            c.expect(500, "5.5.2");
            c.send("RCPT TO:<x@y.test>");
            c.expect(503, "5.5.1");
            c.send("NOOP");
            c.expect(250); // good commands do not count
            c.send("MAIL FROM:<broken");
            c.expect(501, "5.5.4");
            c.expect(421, "4.7.0");
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void aClientSilentInDataIsDisconnectedWith421AndNothingIsQueued() throws Exception {
        try (TestServer server = new TestServer(TestConfig.loopback().with("dataTimeoutSeconds", 1));
             SmtpTestClient c = server.greeted()) {
            c.startData("a@b.test", "x@y.test");
            c.raw("Subject: never finished\r\n");
            c.expect(421, "4.4.2");
            assertTrue(c.closedByServer());
            TestServer.await(() -> server.queue.aborted.get() == 1, "the open message to be aborted");
            assertEquals(0, server.queue.committed.size());
        }
    }

    @Test
    void badConfigurationNamesTheKey() {
        for (String[] bad : new String[][] {{"maxRecipients", "0"}, {"ioThreads", "-1"}, {"tlsMode", "sometimes"},
            {"trustedNetworks", "10.0.0.0/99"}, {"authUsers", "bob:secret"}}) {
            Object value = bad[0].equals("maxRecipients") ? (Object) 0 : bad[0].equals("ioThreads") ? (Object) (-1)
                    : bad[0].equals("tlsMode") ? bad[1] : new String[] {bad[1]};
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new TestServer(TestConfig.loopback().with(bad[0], value)));
            assertTrue(e.getMessage().startsWith(bad[0] + ":"), e.getMessage());
        }
    }

    @Test
    void portInUseIsAClearError() throws Exception {
        try (TestServer first = TestServer.start()) {
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> new TestServer(TestConfig.loopback().with("port", first.port())));
            assertTrue(e.getMessage().contains(":" + first.port()), e.getMessage());
        }
    }
}
