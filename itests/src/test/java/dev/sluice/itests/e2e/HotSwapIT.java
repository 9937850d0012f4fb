package dev.sluice.itests.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Bundles of a running distribution updated one after another with a rebuilt jar, as an administrator does from
 * the web console, while clients send mail without pause and a test server receives it. Afterwards: every
 * message that got a 250 has arrived (duplicates only from deliveries in flight during a swap, reported),
 * clients saw only temporary failures (4xx, refused or dropped connections, which they retried), every thread
 * of an old bundle revision has ended, and every bundle and component is active.
 */
public class HotSwapIT {

    /**
     * A bundle to update: its jar in bundle/, symbolic name, the name prefixes of the threads it may start, and
     * whether some of them always run under load (so that the check of old threads cannot pass vacuously).
     */
    private record Swap(String jar, String symbolicName, List<String> threads, boolean threadsUnderLoad) {
        Swap(String jar, String symbolicName, List<String> threads) {
            this(jar, symbolicName, threads, !threads.isEmpty());
        }
    }

    private static final List<Swap> SWAPS = List.of(
            new Swap("sluice-smtp-server.jar", "dev.sluice.smtp.server", List.of("sluice-smtp-", "NioSocketAcceptor")),
            new Swap("sluice-queue-file.jar", "dev.sluice.queue.file", List.of("sluice-queue-file-")),
            new Swap("sluice-scheduler.jar", "dev.sluice.scheduler", List.of("sluice-scheduler-")),
            new Swap("sluice-routing-dns.jar", "dev.sluice.routing.dns", List.of("sluice-routing-dns-"), false),
            new Swap("sluice-ratelimit.jar", "dev.sluice.ratelimit", List.of()),
            new Swap("sluice-delivery-smtp.jar", "dev.sluice.delivery.smtp",
                    List.of("sluice-delivery-smtp-", "NioSocketConnector")),
            new Swap("sluice-dsn.jar", "dev.sluice.dsn", List.of("sluice-delivery-log"), false),
            new Swap("sluice-filter-suppression.jar", "dev.sluice.filter.suppression", List.of("sluice-suppression")));

    private static final int MIN_MESSAGES = 1000;
    private static TestSmtpServer receiver;
    private static SluiceDistribution sluice;

    @BeforeClass
    public static void start() throws Exception {
        receiver = new TestSmtpServer(new TestSmtpServer.Script());
        sluice = SluiceDistribution.unpack("hot-swap");
        sluice.listenOnFreeSmtpPort(Map.of());
        sluice.route("all", "*", "none", "127.0.0.1:" + receiver.port());
        // what a swap defers comes back within seconds, not the default five minutes
        sluice.configure("dev.sluice.scheduler.cfg", Map.of("retryInitialSeconds", "1", "retryMaxSeconds", "2"));
        // the load comes from one loopback address: exempt, as a site's own application servers would be
        sluice.configure("dev.sluice.ratelimit.inbound.cfg", Map.of("exemptNetworks", "127.0.0.0/8"));
        sluice.start();
        sluice.awaitAllBundlesActive(Duration.ofSeconds(60));
        SmtpClient.connectWhenListening(sluice.smtpPort(), Duration.ofSeconds(30)).close();
    }

    @AfterClass
    public static void stop() throws Exception {
        SluiceDistribution.closeAll(sluice, receiver);
    }

    @Test
    public void updatingEachBundleUnderLoadLosesNoMail() throws Exception {
        BundleSwap console = new BundleSwap(sluice);
        Map<String, String> report = new LinkedHashMap<>();
        ContinuousLoad load = new ContinuousLoad(sluice.smtpPort(), "swap", 4, 20);
        try {
            awaitProgress(load, 50);
            report.put("threads before", Integer.toString(sluice.threads().size()));
            int n = 0;
            for (Swap swap : SWAPS) {
                String version = "1.0.0.swap" + ++n;
                Map<Long, String> old = threadsOf(swap, sluice.threads());
                assertTrue("no thread of " + swap.symbolicName() + " seen before its update",
                        !swap.threadsUnderLoad() || !old.isEmpty());
                byte[] jar = BundleSwap.rebuilt(sluice.home().resolve("bundle").resolve(swap.jar()), "swap" + n);
                long from = System.nanoTime();
                console.upload(swap.jar(), jar);
                awaitState(console, swap.symbolicName(), "Active " + version);
                awaitProgress(load, 20);
                long to = System.nanoTime();
                report.put(swap.symbolicName(), "updated, and 20 more messages accepted, after "
                        + (to - from) / 1_000_000 + " ms; longest time without a 250: "
                        + load.longestGapMillis(from, to) + " ms");
                assertOldThreadsEnd(swap, old);
            }
            report.put("threads after", Integer.toString(sluice.threads().size()));
            // at least a thousand messages in all, however quick the swaps were
            awaitProgress(load, Math.max(0, MIN_MESSAGES - load.acceptedCount()));
        } finally {
            load.close();
            report.put("client failures (all retried)", load.failures().toString());
            report.forEach((k, v) -> System.out.println(k + ": " + v));
        }
        assertEquals("5xx replies", List.of(), load.permanentFailures());
        assertEverythingActive();
        load.assertAllArrived(receiver, Duration.ofSeconds(60));
    }

    private static void awaitProgress(ContinuousLoad load, int messages) throws InterruptedException {
        int target = load.acceptedCount() + messages;
        assertTrue("mail stopped flowing: " + load.failures() + " " + load.permanentFailures(),
                SluiceDistribution.await(Duration.ofSeconds(40), () -> load.acceptedCount() >= target));
    }

    private static void awaitState(BundleSwap console, String symbolicName, String expected) throws Exception {
        String[] last = {""};
        boolean reached = SluiceDistribution.await(Duration.ofSeconds(30), () -> {
            try {
                last[0] = console.stateOf(symbolicName);
                return last[0].equals(expected);
            } catch (Exception e) {
                last[0] = e.toString();
                return false;
            }
        });
        assertTrue(symbolicName + " not updated: " + last[0], reached);
    }

    private static Map<Long, String> threadsOf(Swap swap, Map<Long, String> threads) {
        return threads.entrySet().stream().filter(t -> swap.threads().stream().anyMatch(t.getValue()::startsWith))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Every thread the old revision had (by thread id) ends once the new one runs. */
    private static void assertOldThreadsEnd(Swap swap, Map<Long, String> old) throws Exception {
        AtomicReference<Map<Long, String>> left = new AtomicReference<>(old);
        boolean ended = SluiceDistribution.await(Duration.ofSeconds(15), () -> {
            try {
                Set<Long> alive = sluice.threads().keySet();
                left.set(old.entrySet().stream().filter(t -> alive.contains(t.getKey()))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
                return left.get().isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
        assertTrue("threads of the old " + swap.symbolicName() + " still running: " + left.get().values(), ended);
    }

    private static void assertEverythingActive() throws Exception {
        String bundles = sluice.getAsAdmin("/system/console/bundles.json").body();
        assertTrue(bundles.substring(0, Math.min(200, bundles.length())), bundles.contains("bundles active"));
        assertTrue(bundles.contains("all "));
        String components = sluice.getAsAdmin("/system/console/components.json").body();
        for (String bad : List.of("\"state\":\"failed", "\"state\":\"unsatisfied (reference)")) {
            assertTrue("component problem after the swaps: " + components, !components.contains(bad));
        }
    }
}
