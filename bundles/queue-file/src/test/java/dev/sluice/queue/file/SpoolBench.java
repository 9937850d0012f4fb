package dev.sluice.queue.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.api.queue.QueueEntry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measurements, not tests: skipped unless asked for, e.g.
 * {@code mvn -B -o -q -pl bundles/queue-file surefire:test -Dtest=SpoolBench -Dsluice.bench=throughput
 * -Dbench.dir=/tmp/sluice-bench -Dbench.writers=32 -Dbench.messages=20000}. Modes: throughput (real fsync),
 * generate (fills a spool without fsync), recover (times the startup scan and the index heap).
 */
@Tag("bench")
class SpoolBench {

    private static final FileSync NO_SYNC = new FileSync() {
        @Override
        public void force(FileChannel channel) {
        }

        @Override
        public void forceDirectory(Path directory) {
        }
    };

    private final Path dir = Path.of(System.getProperty("bench.dir", "/tmp/sluice-bench"));
    private final int writers = Integer.getInteger("bench.writers", 32);
    private final int messages = Integer.getInteger("bench.messages", 20_000);

    @Test
    @EnabledIfSystemProperty(named = "sluice.bench", matches = "throughput")
    void acceptedMessagesPerSecondWithFsync() throws Exception {
        Fixtures.CountingSync sync = new Fixtures.CountingSync();
        SpoolSettings d = SpoolSettings.defaults(dir, e -> { });
        int syncThreads = Integer.getInteger("bench.syncThreads", d.syncThreads());
        try (FileSpool spool = new FileSpool(new SpoolSettings(dir, 10, 10, d.diskCheckInterval(), syncThreads,
                d.maxBatch(), d.recoveryThreads(), d.clock(), d.probe(), sync, d.announcer(), d.removalLinger()))) {
            Fixtures.await(spool.recovered());
            long before = spool.size();
            double seconds = fill(spool);
            System.out.printf("BENCH throughput: %d messages of ~1 KB by %d writers (%d fsync threads) in %.2f s = "
                    + "%.0f msgs/s (%d file fsyncs, %d directory fsyncs)%n", messages, writers, syncThreads,
                    seconds, messages / seconds,
                    sync.files.get(), sync.directories.get());
            assertEquals(before + messages, spool.size());
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "sluice.bench", matches = "generate")
    void generateSpoolWithoutFsync() throws Exception {
        try (FileSpool spool = new FileSpool(SpoolSettings.defaults(dir, e -> { }).withSync(NO_SYNC))) {
            double seconds = fill(spool);
            System.out.printf("BENCH generate: %d messages in %.1f s%n", messages, seconds);
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "sluice.bench", matches = "recover")
    void recoveryTimeAndIndexHeap() throws Exception {
        long heapBefore = usedHeapAfterGc();
        AtomicLong announced = new AtomicLong();
        long start = System.nanoTime();
        SpoolSettings d = SpoolSettings.defaults(dir, e -> announced.incrementAndGet());
        try (FileSpool spool = new FileSpool(new SpoolSettings(dir, 10, 10, d.diskCheckInterval(), d.syncThreads(),
                d.maxBatch(), Integer.getInteger("bench.recoveryThreads", d.recoveryThreads()), d.clock(),
                d.probe(), d.sync(), d.announcer(), d.removalLinger()))) {
            double readyMillis = (System.nanoTime() - start) / 1e6;
            SpoolRecovery.Stats stats = spool.recovered().get(30, TimeUnit.MINUTES);
            long heapAfter = usedHeapAfterGc();
            System.out.printf("BENCH recover: accepting after %.0f ms; %d messages recovered and announced in %d ms"
                    + " (%.0f msgs/s); index heap %d bytes/message%n", readyMillis, stats.recovered(),
                    stats.millis(), stats.recovered() * 1000.0 / Math.max(1, stats.millis()),
                    (heapAfter - heapBefore) / Math.max(1, spool.size()));
            assertEquals(stats.recovered(), announced.get());
            List<QueueEntry> one = new java.util.ArrayList<>();
            spool.forEach(e -> {
                if (one.isEmpty()) {
                    one.add(e);
                }
            });
            System.out.println("BENCH sample entry: " + one);
        }
    }

    private double fill(FileSpool spool) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        AtomicLong next = new AtomicLong();
        long start = System.nanoTime();
        List<Future<Void>> done = new java.util.ArrayList<>();
        for (int t = 0; t < writers; t++) {
            done.add(pool.submit(() -> {
                for (long i = next.getAndIncrement(); i < messages; i = next.getAndIncrement()) {
                    Fixtures.write(spool, Fixtures.envelope("user" + i + "@domain" + (i % 1000) + ".example"));
                }
                return null;
            }));
        }
        for (Future<Void> f : done) {
            f.get();
        }
        pool.shutdown();
        return (System.nanoTime() - start) / 1e9;
    }

    private static long usedHeapAfterGc() throws IOException {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
