package dev.sluice.itests.e2e;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import dev.sluice.itests.e2e.TestSmtpServer.Script;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * Sluice as an MTA, end to end: the real distribution accepts mail on its listener and delivers it over static
 * routes to scripted receivers on loopback. One running distribution serves every test; each test has its own
 * destination domains and receivers, all configured before the start.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class DeliveryIT {

    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final List<TestSmtpServer> SERVERS = new ArrayList<>();

    private static SluiceDistribution sluice;
    /** Receives mail for sender.test: every DSN lands here. */
    private static TestSmtpServer senders;
    private static TestSmtpServer plain;
    private static TestSmtpServer retry;
    private static TestSmtpServer reject;
    private static TestSmtpServer backup;
    private static TestSmtpServer greets421;
    private static TestSmtpServer tlsOffered;
    private static TestSmtpServer selfSigned;
    private static TestSmtpServer clearOnly;
    private static TestSmtpServer dead;
    private static TestSmtpServer healthy;

    @BeforeClass
    public static void startSluiceAndReceivers() throws Exception {
        sluice = SluiceDistribution.unpack("delivery");
        sluice.listenOnFreeSmtpPort(Map.of("hostname", "sluice.test"));
        SSLContext tls = TestCertificates.serverContext(
                TestCertificates.selfSigned(sluice.home().resolveSibling("certs"), "mx.tls.test"));
        senders = server(new Script());
        plain = server(new Script());
        Script deferOnce = new Script();
        deferOnce.dataReply = n -> n == 1 ? "451 4.3.0 Temporary local problem" : "250 2.0.0 queued as T" + n;
        retry = server(deferOnce);
        Script rejectBad = new Script();
        rejectBad.rcptReply = (rcpt, n) -> rcpt.startsWith("bad@")
                ? "550 5.1.1 <" + rcpt + ">: Recipient address rejected: User unknown" : "250 2.1.5 ok";
        reject = server(rejectBad);
        backup = server(new Script());
        Script busy = new Script();
        busy.greeting = "421 4.3.2 Service not available, closing transmission channel";
        greets421 = server(busy);
        Script offersTls = new Script();
        offersTls.tls = tls;
        tlsOffered = server(offersTls);
        Script untrusted = new Script();
        untrusted.tls = tls;
        selfSigned = server(untrusted);
        clearOnly = server(new Script());
        Script blackHole = new Script();
        blackHole.greeting = null;
        dead = server(blackHole);
        healthy = server(new Script());

        sluice.route("senders", "sender.test", "none", hop(senders));
        sluice.route("plain", "plain.test", "none", hop(plain));
        sluice.route("retry", "retry.test", "none", hop(retry));
        sluice.route("reject", "reject.test", "none", hop(reject));
        sluice.route("refused", "failover-refused.test", "none", "127.0.0.1:" + SluiceDistribution.freePort(),
                hop(backup));
        sluice.route("busy", "failover-421.test", "none", hop(greets421), hop(backup));
        sluice.route("opportunistic", "tls-opportunistic.test", "opportunistic", hop(tlsOffered));
        sluice.route("verify", "tls-verify.test", "verify", hop(selfSigned));
        sluice.route("required", "tls-required.test", "required", hop(clearOnly));
        sluice.route("dead", "dead.test", "none", hop(dead));
        sluice.route("healthy", "healthy.test", "none", hop(healthy));
        sluice.configure("dev.sluice.scheduler.cfg", Map.of("retryInitialSeconds", "1", "retryMaxSeconds", "4"));
        sluice.configure("dev.sluice.ratelimit.inbound.cfg", Map.of("exemptNetworks", "127.0.0.0/8"));

        sluice.start();
        Duration bundles = sluice.awaitAllBundlesActive(Duration.ofSeconds(90));
        sluice.awaitSmtpListener(Duration.ofSeconds(30));
        sluice.awaitActiveComponents("dev.sluice.routing.dns.StaticRoute", 11, Duration.ofSeconds(30));
        System.out.println("DeliveryIT: bundles active " + bundles.toMillis() + " ms after the start");
    }

    @AfterClass
    public static void stopEverything() throws Exception {
        if (sluice != null) {
            sluice.close();
        }
        for (TestSmtpServer s : SERVERS) {
            s.close();
        }
    }

    /** Issue 7: byte-identical apart from the Received header; envelope kept; three recipients, one transaction. */
    @Test
    public void a_deliversTheMessageByteIdenticalExceptTheReceivedHeader() throws Exception {
        byte[] original = tricky("<e2e-plain@sender.test>");
        List<String> rcpts = List.of("a@plain.test", "b@plain.test", "c@plain.test");
        String queueId = submit("alice@sender.test", " BODY=8BITMIME", rcpts, original);

        assertTrue("nothing delivered to plain.test", SluiceDistribution.await(DELIVERY, () -> !plain.received().isEmpty()));
        assertEquals("one transaction for the three recipients", 1, plain.received().size());
        ReceivedMessage got = plain.received().get(0);
        assertEquals("alice@sender.test", got.mailFrom());
        assertEquals(rcpts, got.recipients());
        int end = endOfFirstField(got.content());
        String received = new String(got.content(), 0, end, StandardCharsets.ISO_8859_1);
        assertTrue(received, received.startsWith("Received: from "));
        assertTrue(received, received.contains("by sluice.test") && received.contains(queueId));
        assertArrayEquals("content after the added Received field", original,
                Arrays.copyOfRange(got.content(), end, got.content().length));

        DeliveryLog log = awaitLog(l -> l.ofKind("delivered").stream()
                .filter(e -> queueId.equals(e.text("queue_id"))).count() == 3);
        for (String rcpt : rcpts) {
            DeliveryLog.Line delivered = log.forRecipient(rcpt).get(0);
            assertEquals("delivered", delivered.text("kind"));
            assertEquals("<e2e-plain@sender.test>", delivered.text("message_id"));
            assertEquals("alice@sender.test", delivered.text("sender"));
            assertEquals(250, delivered.number("code"));
        }
    }

    /** Issue 5/7: 451 on the first try, 250 on the retry: delivered once, logged deferred then delivered. */
    @Test
    public void b_aDeferredMessageIsRetriedAndDeliveredOnce() throws Exception {
        String rcpt = "x@retry.test";
        submit("bob@sender.test", "", List.of(rcpt), simple("<e2e-retry@sender.test>"));
        DeliveryLog log = awaitLog(l -> l.kinds(rcpt).contains("delivered"));
        assertEquals(log.toString(), List.of("deferred", "delivered"), log.kinds(rcpt));
        DeliveryLog.Line deferred = log.forRecipient(rcpt).get(0);
        DeliveryLog.Line delivered = log.forRecipient(rcpt).get(1);
        assertEquals(451, deferred.number("code"));
        assertEquals("4.3.0", deferred.text("enhanced"));
        assertEquals(1, deferred.number("attempt"));
        assertEquals(2, delivered.number("attempt"));
        Duration wait = Duration.between(Instant.parse(deferred.text("time")),
                Instant.parse(delivered.text("time")));
        assertTrue("retried after retryInitialSeconds=1, not at once: " + wait, wait.toMillis() >= 900);
        assertEquals("delivered exactly once", 1, retry.received().size());
        assertEquals("the 451 and the 250", 2, retry.transactions());
    }

    /** Issue 7: one recipient of three gets 550: one RFC 3464 DSN naming exactly that one; the others delivered. */
    @Test
    public void c_oneRejectedRecipientOfThreeGetsExactlyOneDsn() throws Exception {
        List<String> rcpts = List.of("ok1@reject.test", "bad@reject.test", "ok2@reject.test");
        String queueId = submit("owner@sender.test", "", rcpts, simple("<e2e-reject@sender.test>"));
        assertTrue("no DSN arrived", SluiceDistribution.await(DELIVERY, () -> !dsns().isEmpty()));
        assertTrue(SluiceDistribution.await(DELIVERY, () -> !reject.received().isEmpty()));
        assertEquals(1, reject.received().size());
        assertEquals(List.of("ok1@reject.test", "ok2@reject.test"), reject.received().get(0).recipients());

        assertEquals(1, dsns().size());
        ReceivedMessage dsn = dsns().get(0);
        assertEquals(List.of("owner@sender.test"), dsn.recipients());
        MimePart report = MimePart.parse(dsn.text());
        String type = report.header("Content-Type");
        assertTrue(type, type.startsWith("multipart/report") && type.contains("report-type=delivery-status"));
        List<MimePart> parts = report.parts();
        assertEquals("text, delivery-status and the original's header: " + dsn.text(), 3, parts.size());
        assertTrue(parts.get(1).header("Content-Type").startsWith("message/delivery-status"));
        List<Map<String, String>> groups = parts.get(1).fieldGroups();
        assertTrue(groups.get(0).toString(), groups.get(0).get("reporting-mta").startsWith("dns;"));
        assertEquals("one recipient group: " + groups, 2, groups.size());
        Map<String, String> failed = groups.get(1);
        assertEquals("rfc822; bad@reject.test", failed.get("final-recipient"));
        assertEquals("failed", failed.get("action"));
        assertEquals("5.1.1", failed.get("status"));
        String diagnostic = failed.get("diagnostic-code");
        assertNotNull(failed.toString(), diagnostic);
        assertTrue(diagnostic, diagnostic.startsWith("smtp; 550 5.1.1") && diagnostic.contains("User unknown"));
        assertTrue("the original is quoted while still queued: " + parts.get(2).body(),
                parts.get(2).header("Content-Type").startsWith("text/rfc822-headers")
                        && parts.get(2).body().contains("Message-ID: <e2e-reject@sender.test>"));

        DeliveryLog log = awaitLog(l -> l.kinds("bad@reject.test").contains("bounced"));
        DeliveryLog.Line bounced = log.forRecipient("bad@reject.test").get(0);
        assertEquals(queueId, bounced.text("queue_id"));
        assertEquals("<e2e-reject@sender.test>", bounced.text("message_id"));
        assertEquals(550, bounced.number("code"));
        assertEquals("bad-mailbox", bounced.text("classification"));
        assertEquals(List.of("delivered"), log.kinds("ok1@reject.test"));
        assertEquals(List.of("delivered"), log.kinds("ok2@reject.test"));
    }

    /** Issue 7: connection refused, or 421, on the first host of a route: the next host gets the mail, no deferral. */
    @Test
    public void d_aRefusingOrBusyFirstHostMovesOnToTheNextHost() throws Exception {
        submit("carol@sender.test", "", List.of("r@failover-refused.test"), simple("<e2e-refused@sender.test>"));
        submit("carol@sender.test", "", List.of("s@failover-421.test"), simple("<e2e-busy@sender.test>"));
        assertTrue(SluiceDistribution.await(DELIVERY, () -> backup.receivedFor("r@failover-refused.test").size() == 1
                && backup.receivedFor("s@failover-421.test").size() == 1));
        assertTrue("the first host was tried", greets421.connections() >= 1);
        DeliveryLog log = awaitLog(l -> l.kinds("r@failover-refused.test").contains("delivered")
                && l.kinds("s@failover-421.test").contains("delivered"));
        for (String rcpt : List.of("r@failover-refused.test", "s@failover-421.test")) {
            assertEquals(log.toString(), List.of("delivered"), log.kinds(rcpt));
            assertEquals(1, log.forRecipient(rcpt).get(0).number("attempt"));
        }
    }

    /** Issue 7: opportunistic delivers over STARTTLS; verify to a self-signed certificate and required without STARTTLS defer. */
    @Test
    public void e_tlsPoliciesOfRoutes() throws Exception {
        submit("dave@sender.test", "", List.of("o@tls-opportunistic.test"), simple("<e2e-tls-o@sender.test>"));
        submit("dave@sender.test", "", List.of("v@tls-verify.test"), simple("<e2e-tls-v@sender.test>"));
        submit("dave@sender.test", "", List.of("q@tls-required.test"), simple("<e2e-tls-q@sender.test>"));
        // two attempts each: still deferred on the retry, never bounced
        DeliveryLog log = awaitLog(l -> l.kinds("o@tls-opportunistic.test").contains("delivered")
                && l.kinds("v@tls-verify.test").size() >= 2 && l.kinds("q@tls-required.test").size() >= 2);

        assertEquals(1, tlsOffered.received().size());
        assertTrue("delivered over STARTTLS", tlsOffered.received().get(0).tls());
        DeliveryLog.Line delivered = log.forRecipient("o@tls-opportunistic.test").get(0);
        String tls = delivered.text("tls");
        assertTrue(delivered.toString(), tls != null && tls.startsWith("TLSv1."));

        assertDeferredOnly(log, "v@tls-verify.test", "4.7.5");
        assertTrue("the verify route tried the host", selfSigned.connections() >= 1);
        assertTrue("nothing delivered in clear to the untrusted host", selfSigned.received().isEmpty());
        assertDeferredOnly(log, "q@tls-required.test", "4.7.4");
        assertTrue("the required route tried the host", clearOnly.connections() >= 1);
        assertTrue("nothing delivered in clear without STARTTLS", clearOnly.received().isEmpty());
    }

    /** Issue 5: a destination that accepts connections and never answers does not delay a healthy one. */
    @Test
    public void f_aDeadDestinationDoesNotSlowAHealthyOne() throws Exception {
        for (int i = 1; i <= 3; i++) {
            submit("erin@sender.test", "", List.of("d" + i + "@dead.test"), simple("<e2e-dead-" + i + "@sender.test>"));
        }
        assertTrue("the dead host is being tried", SluiceDistribution.await(DELIVERY, () -> dead.connections() >= 1));
        long start = System.nanoTime();
        try (SmtpClient client = new SmtpClient(sluice.smtpPort())) {
            for (int i = 1; i <= 10; i++) {
                String reply = client.send("erin@sender.test", "", List.of("h" + i + "@healthy.test"),
                        simple("<e2e-healthy-" + i + "@sender.test>"));
                assertTrue(reply, reply.startsWith("250"));
            }
        }
        boolean delivered = SluiceDistribution.await(Duration.ofSeconds(15), () -> healthy.received().size() == 10);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("DeliveryIT: 10 messages to a healthy destination delivered in " + millis
                + " ms while " + dead.activeSessions() + " connection(s) to a dead one hang");
        assertTrue("healthy destination got " + healthy.received().size() + " of 10 within 15 s", delivered);
        DeliveryLog log = sluice.deliveryLog();
        for (int i = 1; i <= 3; i++) {
            assertFalse("d" + i + "@dead.test is still pending", log.kinds("d" + i + "@dead.test").contains("delivered"));
        }
        assertTrue(dead.received().isEmpty());
    }

    /**
     * After everything: exactly one DSN was sent in this class (test c), SIGTERM stops Sluice while sessions
     * hang, and nothing of this was an ERROR in sluice.log.
     */
    @Test
    public void z_noOtherDsnAndACleanStop() throws Exception {
        assertEquals("DSNs: " + dsns().stream().map(ReceivedMessage::text).toList(), 1, dsns().size());
        DeliveryLog log = sluice.deliveryLog();
        assertEquals(List.of("bad@reject.test"), log.ofKind("bounced").stream().map(l -> l.text("recipient"))
                .toList());
        assertEquals("SIGTERM exit status", 143, sluice.stop(Duration.ofSeconds(30)));
        List<String> errors = sluice.log().lines().filter(l -> l.contains(" ERROR ")).toList();
        assertTrue("errors in sluice.log: " + errors, errors.isEmpty());
    }

    private static TestSmtpServer server(Script script) throws IOException {
        TestSmtpServer s = new TestSmtpServer(script);
        SERVERS.add(s);
        return s;
    }

    private static String hop(TestSmtpServer s) {
        return "127.0.0.1:" + s.port();
    }

    private static List<ReceivedMessage> dsns() {
        return senders.received().stream().filter(m -> m.mailFrom().isEmpty()).toList();
    }

    /** Submits over SMTP; returns the queue id from the 250 reply. */
    private static String submit(String from, String parameters, List<String> rcpts, byte[] message)
            throws IOException {
        try (SmtpClient client = new SmtpClient(sluice.smtpPort())) {
            String reply = client.send(from, parameters, rcpts, message);
            return SmtpClient.queueId(reply);
        }
    }

    private static DeliveryLog awaitLog(java.util.function.Predicate<DeliveryLog> condition) throws Exception {
        DeliveryLog[] last = {null};
        boolean ok = SluiceDistribution.await(DELIVERY, () -> {
            try {
                last[0] = sluice.deliveryLog();
                return condition.test(last[0]);
            } catch (IOException e) {
                return false;
            }
        });
        assertTrue("delivery.log never got there:\n" + last[0], ok);
        return last[0];
    }

    private static void assertDeferredOnly(DeliveryLog log, String rcpt, String enhanced) {
        for (DeliveryLog.Line line : log.forRecipient(rcpt)) {
            assertEquals(line.toString(), "deferred", line.text("kind"));
            assertEquals(line.toString(), enhanced, line.text("enhanced"));
        }
    }

    private static byte[] simple(String messageId) {
        return ("From: sender@sender.test\r\nTo: someone\r\nSubject: test\r\nMessage-ID: " + messageId
                + "\r\n\r\nHello.\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** 8-bit text, lines of 998 octets (one starting with a dot), and lines a dot-stuffing bug would change. */
    private static byte[] tricky(String messageId) {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.writeBytes(("From: Alice <alice@sender.test>\r\nTo: a@plain.test, b@plain.test, c@plain.test\r\n"
                + "Subject: 8-bit, long lines and dots\r\nMessage-ID: " + messageId + "\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        m.writeBytes("8-bit: ".getBytes(StandardCharsets.US_ASCII));
        for (int b = 0x80; b <= 0xFF; b++) {
            m.write(b);
        }
        m.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        m.writeBytes(("UTF-8: Grüße, 日本語\r\n").getBytes(StandardCharsets.UTF_8));
        m.writeBytes(("L".repeat(998) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        m.writeBytes(("." + "D".repeat(997) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        m.writeBytes(".leading dot\r\n..two leading dots\r\n.\r\n\r\n . not at the start\r\n..\r\nlast line\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        return m.toByteArray();
    }

    /** The offset just after the first header field (with its folded continuation lines). */
    private static int endOfFirstField(byte[] content) {
        for (int i = 0; i + 2 < content.length; i++) {
            if (content[i] == '\r' && content[i + 1] == '\n' && content[i + 2] != ' ' && content[i + 2] != '\t') {
                return i + 2;
            }
        }
        throw new AssertionError("no header field");
    }
}
