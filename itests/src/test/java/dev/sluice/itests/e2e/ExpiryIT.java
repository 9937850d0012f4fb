package dev.sluice.itests.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Issue 5: a destination that answers 4xx until the message's lifetime is over makes the recipient expire, and
 * its sender gets one RFC 3464 DSN (action failed, 4.4.7) carrying the last reply.
 */
public class ExpiryIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private static SluiceDistribution sluice;
    private static TestSmtpServer deferring;
    private static TestSmtpServer senders;

    @BeforeClass
    public static void start() throws Exception {
        TestSmtpServer.Script busy = new TestSmtpServer.Script();
        busy.rcptReply = (rcpt, n) -> "451 4.2.1 Mailbox busy, try later";
        deferring = new TestSmtpServer(busy);
        senders = new TestSmtpServer(new TestSmtpServer.Script());
        sluice = SluiceDistribution.unpack("expiry");
        sluice.listenOnFreeSmtpPort(Map.of());
        // 0.003 h = 10.8 s of lifetime, retried every 1-2 s: a few attempts, then expiry
        sluice.configure("dev.sluice.scheduler.cfg", Map.of("retryInitialSeconds", "1", "retryMaxSeconds", "2",
                "maxLifetimeHours", "0.003", "delayWarningHours", "0"));
        sluice.route("deferring", "deferring.test", "none", "127.0.0.1:" + deferring.port());
        sluice.route("senders", "sender.test", "none", "127.0.0.1:" + senders.port());
        sluice.start();
        sluice.awaitAllBundlesActive(DEADLINE);
        sluice.awaitSmtpListener(DEADLINE);
    }

    @AfterClass
    public static void stop() throws Exception {
        SluiceDistribution.closeAll(sluice, deferring, senders);
    }

    @Test
    public void deferredUntilTheLifetimeEndsThenOneBounce() throws Exception {
        try (SmtpClient client = new SmtpClient(sluice.smtpPort())) {
            assertTrue(client.send("owner@sender.test", List.of("late@deferring.test"),
                    "Subject: expiring\r\nMessage-ID: <expiry@sender.test>\r\n\r\nnever delivered\r\n").startsWith("250"));
        }
        assertTrue("no DSN after expiry", SluiceDistribution.await(DEADLINE, () -> !senders.received().isEmpty()));
        ReceivedMessage dsn = senders.received().get(0);
        assertEquals("", dsn.mailFrom());
        assertEquals(List.of("owner@sender.test"), dsn.recipients());
        MimePart status = MimePart.parse(dsn.text()).parts().get(1);
        Map<String, String> recipient = status.fieldGroups().get(1);
        assertEquals("rfc822; late@deferring.test", recipient.get("final-recipient"));
        assertEquals("failed", recipient.get("action"));
        assertEquals("4.4.7", recipient.get("status"));
        assertTrue(recipient.toString(), recipient.get("diagnostic-code").contains("451 4.2.1 Mailbox busy"));

        DeliveryLog log = sluice.deliveryLog();
        List<String> kinds = log.kinds("late@deferring.test");
        assertTrue("deferred several times, then expired: " + kinds, kinds.size() >= 3
                && kinds.subList(0, kinds.size() - 1).stream().allMatch("deferred"::equals)
                && kinds.get(kinds.size() - 1).equals("expired"));
        assertEquals("exactly one DSN", 1, senders.received().size());
    }
}
