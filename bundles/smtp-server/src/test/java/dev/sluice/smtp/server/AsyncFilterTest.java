package dev.sluice.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.filter.DataFilter;
import dev.sluice.api.filter.FilterProperties;
import dev.sluice.api.filter.MailFromFilter;
import dev.sluice.api.filter.RcptFilter;
import dev.sluice.api.filter.Verdict;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Filters that take their time, hang, break or disappear: sessions wait without a thread and never lose mail. */
class AsyncFilterTest {

    /** One worker thread: a filter that held it would stall every other session. */
    private final TestServer server = new TestServer(TestConfig.loopback().with("workerThreads", 1));
    private final Services services = server.listener.services();

    @AfterEach
    void stop() {
        server.close();
    }

    private static Map<String, Object> props(int ranking, Object... more) {
        Map<String, Object> map = new HashMap<>();
        map.put("service.ranking", ranking);
        for (int i = 0; i < more.length; i += 2) {
            map.put((String) more[i], more[i + 1]);
        }
        return map;
    }

    @Test
    void aPendingFilterHoldsNoWorkerAndPipelinedCommandsWaitForIt() throws Exception {
        CompletableFuture<Verdict> slow = new CompletableFuture<>();
        services.rcptFilters.add(r -> r.recipient().address().localPart().equals("slow") ? slow
                : CompletableFuture.completedFuture(Verdict.CONTINUE), props(0, FilterProperties.TIMEOUT_MILLIS, 30_000));
        try (SmtpTestClient waiting = server.greeted(); SmtpTestClient other = server.greeted()) {
            waiting.raw("MAIL FROM:<a@b.test>\r\nRCPT TO:<slow@y.test>\r\nRCPT TO:<x@y.test>\r\nDATA\r\n");
            waiting.expect(250, "2.1.0");
            // The only worker is free: another session completes a whole transaction meanwhile.
            other.sendMessage("c@d.test", "x@y.test", "hi\r\n");
            other.expect(250, "2.0.0");
            slow.complete(Verdict.reject(550, "5.7.1", "not this one"));
            waiting.expect(550, "5.7.1");
            waiting.expect(250, "2.1.5");
            waiting.expect(354);
            waiting.raw("hello\r\n.\r\n");
            waiting.expect(250, "2.0.0");
        }
        assertEquals(2, server.queue.committed.size());
        assertEquals("x@y.test", server.queue.committed.get(1).envelope().recipients().get(0).address().toString());
    }

    @Test
    void aFilterThatBlocksInsideItsMethodTimesOutAndTheSessionGoesOn() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        MailFromFilter stuck = r -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return CompletableFuture.completedFuture(Verdict.ACCEPT);
        };
        services.mailFilters.add(stuck, props(0, FilterProperties.TIMEOUT_MILLIS, 200));
        try (SmtpTestClient c = server.greeted()) {
            long start = System.nanoTime();
            c.send("MAIL FROM:<a@b.test>");
            c.expect(451, "4.3.0");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
            c.send("NOOP");
            c.expect(250);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aFilterUnregisteredDuringItsCallFailsAtOnceClosedOrOpen() throws Exception {
        CompletableFuture<Verdict> never = new CompletableFuture<>();
        CountDownLatch called = new CountDownLatch(1);
        RcptFilter closed = r -> {
            called.countDown();
            return never;
        };
        services.rcptFilters.add(closed, props(0, FilterProperties.TIMEOUT_MILLIS, 60_000));
        try (SmtpTestClient c = server.greeted()) {
            c.send("MAIL FROM:<a@b.test>");
            c.expect(250);
            long start = System.nanoTime();
            c.send("RCPT TO:<x@y.test>");
            assertTrue(called.await(5, TimeUnit.SECONDS));
            services.rcptFilters.remove(closed);
            c.expect(451, "4.3.0");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "waited for the timeout");

            CountDownLatch calledAgain = new CountDownLatch(1);
            RcptFilter open = r -> {
                calledAgain.countDown();
                return new CompletableFuture<>();
            };
            services.rcptFilters.add(open, props(0, FilterProperties.TIMEOUT_MILLIS, 60_000,
                    FilterProperties.FAILURE_MODE, FilterProperties.FAIL_OPEN));
            c.send("RCPT TO:<x@y.test>");
            assertTrue(calledAgain.await(5, TimeUnit.SECONDS));
            services.rcptFilters.remove(open);
            c.expect(250, "2.1.5");
        }
    }

    @Test
    void brokenFiltersFailClosed() throws Exception {
        List<RcptFilter> broken = List.of(r -> null, r -> CompletableFuture.completedFuture(null),
                r -> CompletableFuture.failedFuture(new java.io.IOException("remote down")), r -> {
                    throw new NoClassDefFoundError("com/example/Gone");
                });
        try (SmtpTestClient c = server.greeted()) {
            c.send("MAIL FROM:<a@b.test>");
            c.expect(250);
            for (RcptFilter filter : broken) {
                services.rcptFilters.add(filter, props(0));
                c.send("RCPT TO:<x@y.test>");
                c.expect(451, "4.3.0");
                services.rcptFilters.remove(filter);
            }
            c.send("RCPT TO:<x@y.test>");
            c.expect(250);
        }
    }

    @Test
    void aClientThatLeavesDuringTheDataFilterLeavesNothingQueued() throws Exception {
        CompletableFuture<Verdict> pending = new CompletableFuture<>();
        CountDownLatch called = new CountDownLatch(1);
        DataFilter filter = r -> {
            called.countDown();
            return pending;
        };
        services.dataFilters.add(filter, props(0, FilterProperties.TIMEOUT_MILLIS, 60_000));
        try (SmtpTestClient c = server.greeted()) {
            c.sendMessage("a@b.test", "x@y.test", "Subject: s\r\n\r\nbody\r\n");
            assertTrue(called.await(5, TimeUnit.SECONDS));
        }
        assertTrue(SmtpTestClient.poll(Duration.ofSeconds(5), () -> server.queue.aborted.get() == 1),
                "the writer of the abandoned message was not aborted");
        pending.complete(Verdict.CONTINUE);
        try (SmtpTestClient c = server.greeted()) {
            c.send("NOOP"); // the late verdict reached a closed session and changed nothing
            c.expect(250);
        }
        assertEquals(0, server.queue.committed.size());
    }

    @Test
    void updatedServicePropertiesReorderTheFilters() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        MailFromFilter a = r -> {
            calls.add("a");
            return CompletableFuture.completedFuture(Verdict.CONTINUE);
        };
        MailFromFilter b = r -> {
            calls.add("b");
            return CompletableFuture.completedFuture(Verdict.CONTINUE);
        };
        services.mailFilters.add(a, props(5));
        services.mailFilters.add(b, props(1));
        try (SmtpTestClient c = server.greeted()) {
            c.send("MAIL FROM:<a@b.test>");
            c.expect(250);
            c.send("RSET");
            c.expect(250);
            services.mailFilters.add(b, props(9)); // what the DS updated method does
            c.send("MAIL FROM:<a@b.test>");
            c.expect(250);
        }
        assertEquals(List.of("a", "b", "b", "a"), calls);
    }

    @Test
    void stoppingTheListenerWithAFilterPendingEndsItsThreads() throws Exception {
        CountDownLatch called = new CountDownLatch(1);
        services.mailFilters.add(r -> {
            called.countDown();
            return new CompletableFuture<>();
        }, props(0, FilterProperties.TIMEOUT_MILLIS, 60_000));
        SmtpTestClient c = server.greeted();
        c.send("MAIL FROM:<a@b.test>");
        assertTrue(called.await(5, TimeUnit.SECONDS));
        long start = System.nanoTime();
        server.close();
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15));
        c.expect(421);
        c.close();
        assertTrue(SmtpTestClient.poll(Duration.ofSeconds(5), () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("sluice-smtp-default-filter"))), "filter threads left running");
    }
}
