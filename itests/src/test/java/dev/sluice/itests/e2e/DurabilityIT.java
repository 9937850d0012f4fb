package dev.sluice.itests.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.sluice.itests.e2e.TestSmtpServer.Script;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * What a sender trusts an MTA with (issue 5): mail that got a 250 survives a kill -9 of the JVM, and a damaged
 * spool file is put aside without holding up the rest. One installation and one crash: before it, four messages
 * wait in the queue for a deferring receiver; while Sluice is down, two of their spool files are damaged; after
 * the restart test a counts the load and test b looks at the damage (each restart costs seconds, so only one).
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class DurabilityIT {

    private static final int CLIENTS = 16;
    private static final int ACKED_BEFORE_KILL = 2000;
    /** Delivery sessions per path, so at most this many deliveries can be in flight at the kill. */
    private static final int MAX_CONNECTIONS = 10;

    private static SluiceDistribution sluice;
    private static final Script SLOW = new Script();
    private static TestSmtpServer sink;
    private static final AtomicBoolean HOLDING_ACCEPTS = new AtomicBoolean();
    private static TestSmtpServer holding;
    private static TestSmtpServer senders;
    /** Queue ids of the four messages for spool.test, queued before the crash. */
    private static final List<String> WAITING = new ArrayList<>();

    @BeforeClass
    public static void startSluiceAndReceivers() throws Exception {
        sluice = SluiceDistribution.unpack("durability");
        sluice.listenOnFreeSmtpPort(Map.of());
        sink = new TestSmtpServer(SLOW);
        Script deferring = new Script();
        deferring.dataReply = n -> HOLDING_ACCEPTS.get() ? "250 2.0.0 queued as H" + n : "451 4.3.0 Not now";
        holding = new TestSmtpServer(deferring);
        senders = new TestSmtpServer(new Script());
        sluice.route("sink", "durable.test", "none", "127.0.0.1:" + sink.port());
        sluice.route("holding", "spool.test", "none", "127.0.0.1:" + holding.port());
        sluice.route("senders", "sender.test", "none", "127.0.0.1:" + senders.port());
        sluice.configure("dev.sluice.scheduler.cfg", Map.of("retryInitialSeconds", "1", "retryMaxSeconds", "2"));
        sluice.configure("dev.sluice.ratelimit.cfg", Map.of("defaultMaxConnections", Integer.toString(MAX_CONNECTIONS)));
        sluice.configure("dev.sluice.ratelimit.inbound.cfg", Map.of("exemptNetworks", "127.0.0.0/8"));
        startAndAwait();
        for (int i = 1; i <= 4; i++) {
            try (SmtpClient client = new SmtpClient(sluice.smtpPort())) {
                WAITING.add(SmtpClient.queueId(client.send("spool@sender.test", "", List.of("h" + i + "@spool.test"),
                        message("<spool-" + i + "@durability.test>"))));
            }
        }
        assertTrue("the four messages for spool.test were not tried and deferred", SluiceDistribution.await(
                Duration.ofSeconds(30), () -> {
                    try {
                        DeliveryLog log = sluice.deliveryLog();
                        return java.util.stream.IntStream.rangeClosed(1, 4)
                                .allMatch(i -> log.kinds("h" + i + "@spool.test").contains("deferred"));
                    } catch (IOException e) {
                        return false;
                    }
                }));
    }

    @AfterClass
    public static void stopEverything() throws Exception {
        if (sluice != null) {
            sluice.close();
        }
        for (TestSmtpServer s : new TestSmtpServer[] {sink, holding, senders}) {
            if (s != null) {
                s.close();
            }
        }
    }

    @Test
    public void a_killMinus9MidStreamLosesNoAcceptedMessage() throws Exception {
        SLOW.dataReplyDelayMillis = 20; // delivery lags behind reception: mail is queued and in flight at the kill
        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicInteger attempts = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        List<String> problems = new CopyOnWriteArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        long start = System.nanoTime();
        for (int t = 0; t < CLIENTS; t++) {
            int client = t;
            clients.execute(() -> inject(client, acked, attempts, killed, problems));
        }
        boolean enough = SluiceDistribution.await(Duration.ofSeconds(60), () -> acked.size() >= ACKED_BEFORE_KILL
                || !problems.isEmpty());
        int deliveredAtKill = sink.received().size();
        int sessionsAtKill = sink.activeSessions();
        killed.set(true); // first, so that the clients take the broken connections for the kill
        sluice.kill();
        long injectMillis = (System.nanoTime() - start) / 1_000_000;
        clients.shutdown();
        assertTrue("clients did not stop after the kill", clients.awaitTermination(30, TimeUnit.SECONDS));
        assertTrue("problems before the kill: " + problems, problems.isEmpty());
        assertTrue("only " + acked.size() + " messages accepted in 60 s", enough);
        Set<String> mustArrive = Set.copyOf(acked);

        damage(sluice.spoolFile(WAITING.get(1)), sluice.spoolFile(WAITING.get(2)));
        SLOW.dataReplyDelayMillis = 0;
        HOLDING_ACCEPTS.set(true);
        long restart = System.nanoTime();
        startAndAwait();
        boolean all = SluiceDistribution.await(Duration.ofSeconds(90), () -> receivedIds(sink).keySet()
                .containsAll(mustArrive));
        long drainMillis = (System.nanoTime() - restart) / 1_000_000;
        Map<String, Long> received = receivedIds(sink);
        Set<String> lost = new HashSet<>(mustArrive);
        lost.removeAll(received.keySet());
        Map<String, Long> duplicates = new TreeMap<>(received);
        duplicates.values().removeIf(n -> n < 2);
        System.out.printf("DurabilityIT: %d of %d messages got 250 from %d clients in %d ms; kill -9 with %d"
                        + " delivered and %d delivery sessions open; after the restart all were delivered within %d"
                        + " ms; lost %d; duplicates %d %s; delivered without a 250 seen by the client %d%n",
                mustArrive.size(), attempts.get(), CLIENTS, injectMillis, deliveredAtKill, sessionsAtKill,
                drainMillis, lost.size(), duplicates.size(), duplicates.keySet(),
                received.keySet().stream().filter(id -> !mustArrive.contains(id)).count());
        assertTrue("lost after kill -9: " + lost.size() + " " + lost.stream().limit(20).toList(), all && lost.isEmpty());
        assertTrue("duplicates beyond the deliveries that can be in flight (" + MAX_CONNECTIONS + "): " + duplicates,
                duplicates.size() <= MAX_CONNECTIONS);
    }

    /** Runs after the restart of test a, which truncated the second and garbled the third spool.test message. */
    @Test
    public void b_truncatedAndCorruptSpoolFilesAreQuarantinedAndTheRestIsDelivered() throws Exception {
        assertTrue("the intact messages were not delivered after the restart", SluiceDistribution.await(
                Duration.ofSeconds(30), () -> receivedIds(holding).keySet()
                        .containsAll(List.of("<spool-1@durability.test>", "<spool-4@durability.test>"))));
        Path quarantine = sluice.home().resolve("spool/quarantine");
        String log = sluice.log();
        for (String id : List.of(WAITING.get(1), WAITING.get(2))) {
            assertTrue(id + " not in quarantine", Files.isRegularFile(quarantine.resolve(id)));
            assertFalse(id + " still in the queue", Files.exists(sluice.spoolFile(id)));
            assertTrue("no WARN line naming " + id, log.lines().anyMatch(l -> l.contains(" WARN ") && l.contains(id)));
        }
        Set<String> arrived = receivedIds(holding).keySet();
        assertFalse(arrived.contains("<spool-2@durability.test>"));
        assertFalse(arrived.contains("<spool-3@durability.test>"));
        assertTrue("no DSN for anything here: " + senders.received(), senders.received().isEmpty());
    }

    /**
     * What a bad disk leaves: one file cut in the middle of its content (not just in its trailing state records,
     * which a crash may tear and recovery rightly ignores), one with garbage over its start. The offsets follow
     * bundles/queue-file/README.md, "File format": content length at 8, envelope length at 28, envelope at 36.
     */
    private static void damage(Path truncated, Path garbled) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(truncated.toFile(), "rw")) {
            f.seek(8);
            long contentLength = f.readLong();
            f.seek(28);
            long contentStart = 36 + (f.readInt() & 0xFFFFFFFFL) + 4;
            assertTrue("content inside the file", contentStart + contentLength <= f.length());
            f.setLength(contentStart + contentLength / 2);
        }
        byte[] garbage = new byte[64];
        new Random(42).nextBytes(garbage);
        try (RandomAccessFile f = new RandomAccessFile(garbled.toFile(), "rw")) {
            f.write(garbage);
        }
    }

    /** One client: sends until the kill breaks its connection; records what got 250. */
    private static void inject(int client, Set<String> acked, AtomicInteger attempts, AtomicBoolean killed,
                               List<String> problems) {
        int n = 0;
        try (SmtpClient smtp = new SmtpClient(sluice.smtpPort())) {
            while (true) {
                String id = "<c" + client + "-" + n++ + "@durability.test>";
                attempts.incrementAndGet();
                String reply = smtp.send("load@sender.test", "", List.of("r" + client + "@durable.test"), message(id));
                if (reply.startsWith("250")) {
                    acked.add(id);
                } else {
                    problems.add(id + ": " + reply);
                    return;
                }
            }
        } catch (IOException e) {
            if (!killed.get()) {
                problems.add("client " + client + ": " + e);
            }
        }
    }

    private static void startAndAwait() throws Exception {
        sluice.start();
        sluice.awaitAllBundlesActive(Duration.ofSeconds(90));
        sluice.awaitSmtpListener(Duration.ofSeconds(30));
        sluice.awaitActiveComponents("dev.sluice.routing.dns.StaticRoute", 3, Duration.ofSeconds(30));
    }

    /** Message-ID → how many times it arrived. */
    private static Map<String, Long> receivedIds(TestSmtpServer server) {
        return server.received().stream().map(m -> m.header("Message-ID"))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private static byte[] message(String messageId) {
        return ("From: load@sender.test\r\nTo: someone@durable.test\r\nSubject: durability\r\nMessage-ID: "
                + messageId + "\r\n\r\n" + "Line of body text to give the message some size.\r\n".repeat(10))
                .getBytes(StandardCharsets.US_ASCII);
    }
}
