package dev.sluice.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.event.DeliveryEvent;
import dev.sluice.api.event.DeliveryListener;
import dev.sluice.api.filter.ConnectFilter;
import dev.sluice.api.filter.DataFilter;
import dev.sluice.api.filter.FilterProperties;
import dev.sluice.api.filter.HeaderChange;
import dev.sluice.api.filter.MailFromFilter;
import dev.sluice.api.filter.RcptFilter;
import dev.sluice.api.filter.Verdict;
import dev.sluice.api.mail.HeaderField;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Filter hooks: ordering, verdicts, timeouts and failure modes; the RECEIVED event. */
class FilterTest {

    private static final String MESSAGE = "Message-ID: <abc@b.test>\r\n\r\nhi\r\n";
    private final TestServer server = TestServer.start();
    private final Services services = server.listener.services();

    @AfterEach
    void stop() {
        server.close();
    }

    private static Map<String, Object> props(int ranking, Object... more) {
        java.util.HashMap<String, Object> map = new java.util.HashMap<>();
        map.put("service.ranking", ranking);
        for (int i = 0; i < more.length; i += 2) {
            map.put((String) more[i], more[i + 1]);
        }
        return map;
    }

    @Test
    void connectRejectionClosesTheSession() throws Exception {
        ConnectFilter reject = r -> CompletableFuture.completedFuture(Verdict.reject(554, "5.7.1", "Go away"));
        services.connectFilters.add(reject, props(0));
        try (SmtpTestClient c = server.connect()) {
            c.expect(554, "5.7.1");
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void highestRankingDecidesAndUnregisteredFiltersAreSkipped() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        MailFromFilter low = r -> {
            calls.add("low");
            return CompletableFuture.completedFuture(Verdict.reject(550, "5.7.1", "low says no"));
        };
        MailFromFilter high = r -> {
            calls.add("high");
            return CompletableFuture.completedFuture(Verdict.ACCEPT);
        };
        services.mailFilters.add(low, props(1));
        services.mailFilters.add(high, props(10));
        try (SmtpTestClient c = server.greeted()) {
            c.send("MAIL FROM:<a@b.test>");
            c.expect(250);
            c.send("RSET");
            c.expect(250);
            services.mailFilters.remove(high);
            c.send("MAIL FROM:<a@b.test>");
            c.expect(550, "5.7.1");
        }
        assertEquals(List.of("high", "low"), calls);
    }

    @Test
    void aRefusalWithoutEnhancedStatusCodeGetsTheGenericOne() throws Exception {
        RcptFilter noCode = r -> CompletableFuture.completedFuture(
                new Verdict.Reject(dev.sluice.api.mail.Reply.of(550, null, "No such user here")));
        services.rcptFilters.add(noCode, props(0));
        try (SmtpTestClient c = server.greeted()) {
            c.send("MAIL FROM:<a@b.test>");
            c.expect(250);
            c.send("RCPT TO:<x@y.test>");
            assertEquals("550 5.0.0 No such user here", c.expect(550, "5.0.0"));
        }
    }

    @Test
    void slowFilterFailsClosedOrOpen() throws Exception {
        RcptFilter hang = r -> new CompletableFuture<>();
        services.rcptFilters.add(hang, props(0, FilterProperties.TIMEOUT_MILLIS, "100"));
        try (SmtpTestClient c = server.greeted()) {
            c.send("MAIL FROM:<a@b.test>");
            c.expect(250);
            c.send("RCPT TO:<x@y.test>");
            c.expect(451, "4.3.0");
            services.rcptFilters.remove(hang);
            RcptFilter broken = r -> {
                throw new IllegalStateException("bug");
            };
            services.rcptFilters.add(broken, props(0, FilterProperties.FAILURE_MODE, FilterProperties.FAIL_OPEN));
            c.send("RCPT TO:<x@y.test>");
            c.expect(250, "2.1.5");
        }
    }

    @Test
    void rcptDiscardAnswers250AndDropsTheRecipient() throws Exception {
        services.rcptFilters.add(r -> CompletableFuture.completedFuture(
                r.recipient().address().localPart().equals("spamtrap") ? Verdict.DISCARD : Verdict.CONTINUE), props(0));
        try (SmtpTestClient c = server.greeted()) {
            c.send("MAIL FROM:<a@b.test>");
            c.expect(250);
            c.send("RCPT TO:<spamtrap@y.test>");
            c.expect(250);
            c.send("RCPT TO:<x@y.test>");
            c.expect(250);
            c.send("DATA");
            c.expect(354);
            c.raw("hi\r\n.\r\n");
            c.expect(250);
        }
        assertEquals(1, server.queue.committed.get(0).envelope().recipients().size());
    }

    @Test
    void dataFilterSeesContentAndModifiesTheStoredHeader() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        DataFilter sign = r -> {
            try (InputStream in = r.content().openStream()) {
                seen.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                return CompletableFuture.failedFuture(e);
            }
            seen.add(r.headers().toString());
            return CompletableFuture.completedFuture(new Verdict.ModifyHeaders(List.of(
                    new HeaderChange.Add(new HeaderField("DKIM-Signature", "v=1; test")),
                    new HeaderChange.Remove("X-Secret"))));
        };
        services.dataFilters.add(sign, props(0));
        try (SmtpTestClient c = server.greeted()) {
            c.sendMessage("a@b.test", "x@y.test", "Subject: s\r\nX-Secret: 1\r\nMessage-ID: <m1@b.test>\r\n\r\nbody\r\n");
            c.expect(250);
        }
        assertEquals("Subject: s\r\nX-Secret: 1\r\nMessage-ID: <m1@b.test>\r\n\r\nbody\r\n", seen.get(0));
        assertTrue(seen.get(1).contains("X-Secret"));
        assertEquals("DKIM-Signature: v=1; test\r\nSubject: s\r\nMessage-ID: <m1@b.test>\r\n\r\nbody\r\n",
                new String(server.queue.committed.get(0).body(), StandardCharsets.UTF_8));
    }

    @Test
    void dataDiscardAndRejectLeaveNothing() throws Exception {
        services.dataFilters.add(r -> CompletableFuture.completedFuture(Verdict.DISCARD), props(1));
        try (SmtpTestClient c = server.greeted()) {
            c.sendMessage("a@b.test", "x@y.test", "hi\r\n");
            c.expect(250, "2.0.0");
        }
        services.dataFilters.add(r -> CompletableFuture.completedFuture(Verdict.reject(550, "5.7.1", "spam")), props(5));
        try (SmtpTestClient c = server.greeted()) {
            c.sendMessage("a@b.test", "x@y.test", "hi\r\n");
            c.expect(550, "5.7.1");
        }
        assertEquals(0, server.queue.committed.size());
        assertEquals(2, server.queue.aborted.get());
    }

    @Test
    void receivedEventIsPublishedAfterCommit() throws Exception {
        List<DeliveryEvent> events = new CopyOnWriteArrayList<>();
        DeliveryListener listener = events::add;
        services.listeners.add(listener);
        services.listeners.add(e -> {
            throw new IllegalStateException("a broken listener must not matter");
        });
        try (SmtpTestClient c = server.greeted()) {
            c.sendMessage("a@b.test", "x@y.test", MESSAGE);
            c.expect(250);
        }
        DeliveryEvent e = events.get(0);
        assertEquals(DeliveryEvent.Kind.RECEIVED, e.kind());
        assertEquals(server.queue.committed.get(0).id(), e.queueId());
        assertEquals("<abc@b.test>", e.messageId());
        assertEquals("a@b.test", e.sender());
        assertEquals("client.test", e.remoteHost());
        assertEquals("127.0.0.1", e.remoteIp());
        assertEquals(MESSAGE.length(), e.size());
        assertNull(e.tlsProtocol());
        assertFalse(e.reply() == null);
    }
}
