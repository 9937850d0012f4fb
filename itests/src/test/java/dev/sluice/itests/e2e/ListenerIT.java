package dev.sluice.itests.e2e;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The SMTP listener inside the running distribution: STARTTLS from a configured keystore, pipelining,
 * smuggling-safe DATA, a 10 MB message relayed byte for byte, and listeners rebound by a configuration change.
 */
public class ListenerIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static SluiceDistribution sluice;
    private static TestSmtpServer receiver;
    private static Path keystore;

    @BeforeClass
    public static void start() throws Exception {
        receiver = new TestSmtpServer(new TestSmtpServer.Script());
        sluice = SluiceDistribution.unpack("listener");
        keystore = TestCertificates.selfSigned(sluice.home().resolve("conf"), "sluice.test");
        sluice.listenOnFreeSmtpPort(Map.of("hostname", "sluice.test",
                "tlsKeystorePath", sluice.home().relativize(keystore).toString(),
                "tlsKeystorePassword", TestCertificates.PASSWORD, "tlsKeystoreType", "PKCS12"));
        sluice.configure("dev.sluice.routing.static-listener.cfg", Map.of("domains", "example.test",
                "hosts", "127.0.0.1:" + receiver.port(), "tls", "none"));
        sluice.start();
        sluice.awaitAllBundlesActive(DEADLINE);
        sluice.awaitSmtpListener(DEADLINE);
    }

    @AfterClass
    public static void stop() throws Exception {
        SluiceDistribution.closeAll(sluice, receiver);
    }

    @Test
    public void startTlsWithTheConfiguredKeystoreAndTheReceivedHeaderSaysSo() throws Exception {
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), sluice.smtpPort())) {
            plain.setSoTimeout(30_000);
            Conversation c = new Conversation(plain);
            assertTrue(c.reply().startsWith("220"));
            String ehlo = c.command("EHLO client.test");
            assertTrue("STARTTLS not offered: " + ehlo, ehlo.contains("STARTTLS"));
            assertTrue(c.command("STARTTLS").startsWith("220 2.0.0"));
            SSLSocket tls = (SSLSocket) TestCertificates.clientContext(keystore).getSocketFactory()
                    .createSocket(plain, "sluice.test", plain.getPort(), true);
            tls.startHandshake();
            Conversation secure = new Conversation(tls);
            assertFalse("STARTTLS offered twice", secure.command("EHLO client.test").contains("STARTTLS"));
            String subject = "over TLS " + System.nanoTime();
            assertTrue(secure.command("MAIL FROM:<tls@client.test>").startsWith("250"));
            assertTrue(secure.command("RCPT TO:<tls@example.test>").startsWith("250"));
            assertTrue(secure.command("DATA").startsWith("354"));
            String done = secure.command("Subject: " + subject + "\r\n\r\nsecret\r\n.");
            assertTrue(done, done.startsWith("250 2.0.0"));
            ReceivedMessage m = awaitSubject(subject);
            String received = m.header("Received");
            assertTrue(received, received.contains("with ESMTPS") && received.contains("TLSv1."));
        }
    }

    @Test
    public void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), sluice.smtpPort())) {
            s.setSoTimeout(30_000);
            Conversation c = new Conversation(s);
            c.reply();
            assertTrue(c.command("EHLO client.test").contains("PIPELINING"));
            String subject = "pipelined " + System.nanoTime();
            c.write("MAIL FROM:<pipe@client.test>\r\nRCPT TO:<one@example.test>\r\nRCPT TO:<no at sign>\r\n"
                    + "RCPT TO:<two@example.test>\r\nDATA\r\n");
            List<String> codes = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                codes.add(c.reply().substring(0, 3));
            }
            assertEquals(List.of("250", "250", "501", "250", "354"), codes);
            c.write("Subject: " + subject + "\r\n\r\nbody\r\n.\r\nQUIT\r\n");
            assertTrue(c.reply().startsWith("250"));
            assertTrue(c.reply().startsWith("221"));
            assertEquals(List.of("one@example.test", "two@example.test"), awaitSubject(subject).recipients());
        }
    }

    @Test
    public void bareLineEndingsNeverEndAMessageOrSmuggleASecondOne() throws Exception {
        String[] terminators = {"\n.\n", "\r\n.\n", "\n.\r\n", "\r.\r\n"};
        for (String fake : terminators) {
            String marker = "smuggled-" + System.nanoTime();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), sluice.smtpPort())) {
                s.setSoTimeout(30_000);
                Conversation c = new Conversation(s);
                c.reply();
                c.command("EHLO client.test");
                c.command("MAIL FROM:<front@client.test>");
                c.command("RCPT TO:<front@example.test>");
                assertTrue(c.command("DATA").startsWith("354"));
                c.write("Subject: front\r\n\r\nhello" + fake + "MAIL FROM:<evil@client.test>\r\n"
                        + "RCPT TO:<victim@example.test>\r\nDATA\r\nSubject: " + marker + "\r\n\r\nx\r\n.\r\n");
                String verdict = c.reply();
                assertTrue(escape(fake) + " -> " + verdict, verdict.startsWith("550 5.6.0"));
                // the session goes on in step: the smuggled commands were data, not commands
                assertTrue(c.command("NOOP").startsWith("250"));
            }
        }
        String control = "after smuggling " + System.nanoTime();
        try (SmtpClient client = new SmtpClient(sluice.smtpPort())) {
            assertTrue(client.send("ok@client.test", List.of("ok@example.test"), "Subject: " + control + "\r\n\r\nok\r\n")
                    .startsWith("250"));
        }
        awaitSubject(control);
        assertTrue("a smuggled message was relayed", receiver.received().stream()
                .noneMatch(m -> m.mailFrom().contains("evil") || m.text().contains("smuggled-")));
    }

    @Test
    public void tenMegabyteMessageArrivesByteForByte() throws Exception {
        String subject = "ten megabytes " + System.nanoTime();
        StringBuilder body = new StringBuilder(10_600_000);
        body.append("Subject: ").append(subject).append("\r\nMessage-ID: <big@client.test>\r\n\r\n");
        for (int line = 0; body.length() < 10_485_760; line++) {
            body.append(line % 97 == 0 ? ".starts with a dot " : "line ").append(line).append(' ')
                    .append("x".repeat(line % 900)).append("\r\n");
        }
        String message = body.toString();
        try (SmtpClient client = new SmtpClient(sluice.smtpPort())) {
            assertTrue(client.send("big@client.test", List.of("big@example.test"), message).startsWith("250"));
        }
        byte[] delivered = awaitSubject(subject).content();
        byte[] sent = message.getBytes(StandardCharsets.US_ASCII);
        byte[] tail = Arrays.copyOfRange(delivered, delivered.length - sent.length, delivered.length);
        assertArrayEquals("the relayed copy differs from what was sent", sent, tail);
        String added = new String(delivered, 0, delivered.length - sent.length, StandardCharsets.US_ASCII);
        assertTrue("only trace headers may be added: " + added, added.startsWith("Received: "));
    }

    @Test
    public void listenerConfigurationChangeRebindsAndABusyPortIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            sluice.configure("dev.sluice.smtp.listener-busy.cfg", Map.of("name", "busy", "address", "127.0.0.1",
                    "port", Integer.toString(taken.getLocalPort())));
            assertTrue("no log line names the busy port", sluice.awaitLog(DEADLINE,
                    "SMTP listener busy cannot bind 127.0.0.1:" + taken.getLocalPort()));
        }
        int extra = SluiceDistribution.freePort();
        sluice.configure("dev.sluice.smtp.listener-second.cfg", Map.of("name", "second", "address", "127.0.0.1",
                "port", Integer.toString(extra)));
        assertTrue("the new listener never answered", SluiceDistribution.await(DEADLINE, () -> greets(extra)));
        int moved = SluiceDistribution.freePort();
        sluice.configure("dev.sluice.smtp.listener-second.cfg", Map.of("name", "second", "address", "127.0.0.1",
                "port", Integer.toString(moved)));
        assertTrue("the listener never moved", SluiceDistribution.await(DEADLINE, () -> greets(moved) && !greets(extra)));
        assertTrue("the default listener was disturbed", greets(sluice.smtpPort()));
    }

    private static boolean greets(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            s.setSoTimeout(10_000);
            return new Conversation(s).reply().startsWith("220");
        } catch (IOException e) {
            return false;
        }
    }

    private static ReceivedMessage awaitSubject(String subject) throws InterruptedException {
        ReceivedMessage[] found = {null};
        boolean arrived = SluiceDistribution.await(DEADLINE, () -> {
            for (ReceivedMessage m : receiver.received()) {
                if (subject.equals(m.header("Subject"))) {
                    found[0] = m;
                    return true;
                }
            }
            return false;
        });
        assertTrue("never delivered: " + subject, arrived);
        return found[0];
    }

    private static String escape(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }

    /** Raw lines over a socket, for what SmtpClient deliberately cannot do (pipelining, bad framing, TLS). */
    private static final class Conversation {
        private final BufferedReader in;
        private final OutputStream out;

        Conversation(Socket socket) throws IOException {
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out = socket.getOutputStream();
        }

        void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** Sends a line and returns the whole reply, its lines joined by newlines. */
        String command(String line) throws IOException {
            write(line + "\r\n");
            return reply();
        }

        String reply() throws IOException {
            List<String> lines = new ArrayList<>();
            String l;
            do {
                l = in.readLine();
                if (l == null) {
                    throw new IOException("connection closed after " + lines);
                }
                lines.add(l);
            } while (l.length() > 3 && l.charAt(3) == '-');
            return String.join("\n", lines);
        }
    }
}
