package dev.sluice.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.filter.FilterProperties;
import dev.sluice.api.filter.RcptFilter;
import dev.sluice.api.filter.Verdict;
import dev.sluice.testing.metrics.RecordingMetrics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a listener records in the metrics service: accepted messages, and each filter call with its outcome. */
class ListenerTimingsTest {

    private static final String ACCEPT = "sluice_accept_latency_seconds";
    private static final String TRANSACTION = "sluice_smtp_transaction_seconds";
    private static final String FILTER = "sluice_filter_duration_seconds";
    private final TestServer server = TestServer.start();
    private final RecordingMetrics metrics = new RecordingMetrics();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void acceptedMessagesAreTimedFromTheEndOfDataAndFromMail() throws Exception {
        server.listener.setMetrics(metrics);
        try (SmtpTestClient c = server.greeted()) {
            c.sendMessage("a@b.test", "x@y.test", "Subject: data\r\n\r\nhi\r\n");
            c.expect(250, "2.0.0");
            c.send("MAIL FROM:<a@b.test>");
            c.expect(250);
            c.send("RCPT TO:<x@y.test>");
            c.expect(250);
            c.raw("BDAT 15\r\nSubject: bdat\r\n");
            c.expect(250);
            c.raw("BDAT 6 LAST\r\n\r\nhi\r\n");
            c.expect(250, "2.0.0");
            // refused: not an accepted message, so not in the accept latency
            c.startData("a@b.test", "x@y.test");
            c.raw("bare\nLF\r\n.\r\n");
            c.expect(550, "5.6.0");
        }
        List<Long> accept = metrics.get(ACCEPT, "listener", "default");
        List<Long> transaction = metrics.get(TRANSACTION, "listener", "default");
        assertEquals(2, accept.size(), "DATA and BDAT LAST: " + accept);
        assertEquals(2, transaction.size());
        for (int i = 0; i < 2; i++) {
            assertTrue(accept.get(i) >= 0);
            assertTrue(transaction.get(i) >= accept.get(i), "a transaction includes its data's end");
        }
    }

    @Test
    void everyFilterCallIsTimedByOutcomeAndNothingOnceMetricsWentAway() throws Exception {
        RcptFilter nobody = r -> CompletableFuture.completedFuture(r.recipient().address().localPart().equals("nobody")
                ? Verdict.reject(550, "5.1.1", "No such user") : Verdict.CONTINUE);
        server.listener.services().rcptFilters.add(nobody, Map.of(FilterProperties.NAME, "users"));
        RcptFilter hangs = r -> new CompletableFuture<>();
        server.listener.services().rcptFilters.add(hangs, Map.of(FilterProperties.NAME, "slow",
                FilterProperties.TIMEOUT_MILLIS, 50, FilterProperties.FAILURE_MODE, FilterProperties.FAIL_OPEN,
                "service.ranking", -1));
        server.listener.setMetrics(metrics);
        try (SmtpTestClient c = server.greeted()) {
            c.send("MAIL FROM:<a@b.test>");
            c.expect(250);
            c.send("RCPT TO:<nobody@y.test>");
            c.expect(550, "5.1.1");
            c.send("RCPT TO:<x@y.test>");
            c.expect(250);
            server.listener.unsetMetrics(metrics);
            c.send("RCPT TO:<z@y.test>");
            c.expect(250);
        }
        assertEquals(1, metrics.get(FILTER, "filter", "users", "stage", "rcpt", "outcome", "reject").size());
        assertEquals(1, metrics.get(FILTER, "filter", "users", "stage", "rcpt", "outcome", "continue").size());
        assertEquals(1, metrics.get(FILTER, "filter", "slow", "stage", "rcpt", "outcome", "timeout").size());
    }
}
