package dev.sluice.smtp.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Many connections, a large message and hostile bytes. */
class LoadTest {

    private static final TestServer SERVER = new TestServer(TestConfig.loopback().with("maxSessionsPerClient", 300)
            .with("maxBadCommands", 1000));

    @AfterAll
    static void stop() {
        SERVER.close();
    }

    @Test
    void twoHundredSimultaneousConnections() throws Exception {
        int before = SERVER.queue.committed.size();
        List<SmtpTestClient> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            for (int i = 0; i < 200; i++) {
                clients.add(SERVER.connect()); // all 200 are open at once before any mail is sent
            }
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int i = 0; i < clients.size(); i++) {
                SmtpTestClient c = clients.get(i);
                int n = i;
                done.add(CompletableFuture.runAsync(() -> {
                    try {
                        c.expect(220);
                        c.send("EHLO c" + n + ".test");
                        c.expect(250);
                        c.sendMessage("a@b.test", "x" + n + "@y.test", "Subject: " + n + "\r\n\r\nbody\r\n");
                        c.expect(250, "2.0.0");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            CompletableFuture.allOf(done.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
            for (SmtpTestClient c : clients) {
                c.close();
            }
        }
        assertEquals(before + 200, SERVER.queue.committed.size());
    }

    @Test
    void tenMegabyteMessageArrivesByteIdentical() throws Exception {
        Random random = new Random(42);
        ByteArrayOutputStream original = new ByteArrayOutputStream();
        original.writeBytes("Subject: big\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] line = new byte[200];
        while (original.size() < 10 * 1024 * 1024) {
            int length = random.nextInt(199);
            for (int i = 0; i < length; i++) {
                line[i] = (byte) (i == 0 && random.nextInt(10) == 0 ? '.' : 0x20 + random.nextInt(0x5f));
            }
            original.write(line, 0, length);
            original.writeBytes(new byte[] {'\r', '\n'});
        }
        byte[] expected = original.toByteArray();
        String stuffed = new String(expected, StandardCharsets.ISO_8859_1).replace("\r\n.", "\r\n..");
        try (SmtpTestClient c = SERVER.greeted()) {
            c.send("MAIL FROM:<a@b.test> SIZE=" + expected.length);
            c.expect(250);
            c.send("RCPT TO:<big@y.test>");
            c.expect(250);
            c.send("DATA");
            c.expect(354);
            c.raw(stuffed.getBytes(StandardCharsets.ISO_8859_1));
            c.raw(".\r\n");
            String reply = c.expect(250, "2.0.0");
            String id = reply.substring(reply.lastIndexOf(' ') + 1);
            FakeQueue.Stored stored = SERVER.queue.committed.stream().filter(s -> s.id().value().equals(id))
                    .findFirst().orElseThrow();
            assertArrayEquals(expected, stored.body());
        }
    }

    @Test
    void clientThatReadsLateGetsEveryReplyInOrder() throws Exception {
        try (SmtpTestClient c = SERVER.greeted()) {
            byte[] noops = "NOOP\r\n".repeat(20_000).getBytes(StandardCharsets.US_ASCII);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    c.raw(noops);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            for (int i = 0; i < 20_000; i++) {
                c.expect(250, "2.0.0"); // reading late still gets every reply, in order
            }
            writer.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void randomBytesNeverBreakTheServer() throws Exception {
        Random random = new Random(7);
        for (int round = 0; round < 20; round++) {
            try (SmtpTestClient c = SERVER.connect()) {
                c.expect(220);
                byte[] junk = new byte[1 + random.nextInt(20_000)];
                random.nextBytes(junk);
                if (round % 2 == 0) {
                    c.raw("EHLO fuzz\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@y.test>\r\nDATA\r\n");
                }
                c.raw(junk);
                c.raw("\r\n.\r\nQUIT\r\n");
                while (c.reply() != null) {
                    // drain until the server closes: every reply must be a well-formed CRLF line
                }
            }
        }
        try (SmtpTestClient c = SERVER.greeted()) {
            c.sendMessage("a@b.test", "x@y.test", "after the fuzz\r\n");
            assertTrue(c.expect(250, "2.0.0").contains("queued as"));
        }
    }
}
