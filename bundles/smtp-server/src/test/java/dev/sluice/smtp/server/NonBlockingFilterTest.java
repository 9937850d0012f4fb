package dev.sluice.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.filter.FilterProperties;
import dev.sluice.api.filter.RcptFilter;
import dev.sluice.api.filter.Verdict;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Filters that declare sluice.filter.nonblocking run in place, without a filter thread; the rules still hold. */
class NonBlockingFilterTest {

    private final TestServer server = TestServer.start();
    private final Services services = server.listener.services();
    private final List<String> threads = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        server.close();
    }

    /** A session that has said MAIL FROM. */
    private SmtpTestClient mailFrom() throws Exception {
        SmtpTestClient c = server.greeted();
        c.send("MAIL FROM:<a@b.test>");
        c.expect(250, "2.1.0");
        return c;
    }

    private RcptFilter recording(Verdict verdict) {
        return r -> {
            threads.add(Thread.currentThread().getName());
            return CompletableFuture.completedFuture(verdict);
        };
    }

    @Test
    void aNonBlockingFilterRunsInPlaceAndAnOrdinaryOneOnAFilterThread() throws Exception {
        services.rcptFilters.add(recording(Verdict.CONTINUE), Map.of("service.ranking", 2,
                FilterProperties.NON_BLOCKING, "true"));
        services.rcptFilters.add(recording(Verdict.CONTINUE), Map.of("service.ranking", 1));
        try (SmtpTestClient c = mailFrom()) {
            c.send("RCPT TO:<x@y.test>");
            c.expect(250, "2.1.5");
        }
        assertEquals(2, threads.size(), threads.toString());
        assertFalse(threads.get(0).contains("-filter-"), "non-blocking filter called in place: " + threads);
        assertFalse(threads.get(0).contains("-worker-"), "...with no hand-off to a worker either: " + threads);
        assertTrue(threads.get(1).contains("-filter-"), "ordinary filter on a filter thread: " + threads);
    }

    @Test
    void aNonBlockingFilterThatRejectsOrThrowsIsTreatedAsAnyOther() throws Exception {
        RcptFilter rejecting = r -> r.recipient().address().localPart().equals("gone")
                ? CompletableFuture.completedFuture(Verdict.reject(550, "5.7.1", "suppressed"))
                : CompletableFuture.completedFuture(Verdict.CONTINUE);
        services.rcptFilters.add(rejecting, Map.of(FilterProperties.NON_BLOCKING, true));
        try (SmtpTestClient c = mailFrom()) {
            c.send("RCPT TO:<gone@y.test>");
            c.expect(550, "5.7.1");
            c.send("RCPT TO:<here@y.test>");
            c.expect(250, "2.1.5");
        }
        services.rcptFilters.remove(rejecting);
        services.rcptFilters.add(r -> {
            throw new IllegalStateException("broken");
        }, Map.of(FilterProperties.NON_BLOCKING, true));
        try (SmtpTestClient c = mailFrom()) {
            c.send("RCPT TO:<x@y.test>");
            c.expect(451, "4.3.0");
        }
    }

    @Test
    void aNonBlockingFilterThatAnswersLateAnywayIsStillTimedOut() throws Exception {
        services.rcptFilters.add(r -> new CompletableFuture<>(), Map.of(FilterProperties.NON_BLOCKING, true,
                FilterProperties.TIMEOUT_MILLIS, 100));
        try (SmtpTestClient c = mailFrom()) {
            c.send("RCPT TO:<x@y.test>");
            c.expect(451, "4.3.0");
            c.send("NOOP");
            c.expect(250);
        }
    }
}
