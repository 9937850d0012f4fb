package dev.sluice.queue.file;

import dev.sluice.api.queue.QueueException;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The startup scan, on its own thread so that mail is accepted meanwhile: indexes and announces every
 * message of earlier runs, deletes temp files of receptions that were never acknowledged, and moves files
 * that do not parse to quarantine. Files of this run (keys from {@code boundary} on) are left alone.
 */
final class SpoolRecovery implements AutoCloseable {

    enum Outcome { RECOVERED, COMPLETE, GONE }

    record Stats(long recovered, long completed, long quarantined, long tempFiles, long millis) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(SpoolRecovery.class);

    private final FileSpool spool;
    private final long boundary;
    private final CompletableFuture<Stats> done = new CompletableFuture<>();
    private final ExecutorService workers;
    private final Thread thread;
    private volatile boolean stopped;
    private final LongAdder recovered = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder quarantined = new LongAdder();
    private final LongAdder tempFiles = new LongAdder();

    SpoolRecovery(FileSpool spool, long boundary, int threads) {
        this.spool = spool;
        this.boundary = boundary;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(threads,
                r -> new Thread(r, "sluice-queue-file-recovery-" + n.incrementAndGet()));
        this.thread = new Thread(this::run, "sluice-queue-file-recovery");
        thread.start();
    }

    CompletableFuture<Stats> done() {
        return done;
    }

    private void run() {
        long start = System.nanoTime();
        try {
            List<Path> tops = sorted(spool.layout().messages());
            List<Future<?>> scans = new ArrayList<>();
            for (Path top : tops) {
                for (Path leaf : sorted(top)) {
                    scans.add(workers.submit(() -> {
                        scan(leaf);
                        deleteIfEmpty(leaf);
                        return null;
                    }));
                }
            }
            for (Future<?> f : scans) {
                f.get();
            }
            tops.forEach(this::deleteIfEmpty);
            Stats stats = new Stats(recovered.sum(), completed.sum(), quarantined.sum(), tempFiles.sum(),
                    (System.nanoTime() - start) / 1_000_000);
            LOG.info("Spool {} recovered: {} messages queued, {} finished ones removed, {} quarantined, "
                    + "{} temp files of unacknowledged receptions removed, in {} ms", spool.layout().root(),
                    stats.recovered(), stats.completed(), stats.quarantined(), stats.tempFiles(), stats.millis());
            done.complete(stats);
        } catch (IOException | ExecutionException | RuntimeException e) {
            LOG.error("Recovery of spool {} stopped; messages not yet scanned stay on disk until the next start",
                    spool.layout().root(), e);
            done.completeExceptionally(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.completeExceptionally(e);
        } finally {
            workers.shutdown();
        }
    }

    private void scan(Path leaf) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(leaf)) {
            for (Path file : files) {
                if (stopped) {
                    throw new IOException("stopped");
                }
                String name = file.getFileName().toString();
                boolean temp = name.endsWith(SpoolLayout.TEMP_SUFFIX);
                long key = QueueIds.parse(temp ? name.substring(0, name.length() - 4) : name);
                if (key < 0) {
                    LOG.warn("Ignoring foreign file {} in the spool", file);
                } else if (key >= boundary) {
                    continue; // received by this run
                } else if (temp) {
                    Files.deleteIfExists(file);
                    tempFiles.increment();
                } else {
                    recover(key, file);
                }
            }
        }
    }

    private void recover(long key, Path file) {
        try {
            switch (spool.recover(key, file)) {
                case RECOVERED -> recovered.increment();
                case COMPLETE -> completed.increment();
                default -> { }
            }
        } catch (QueueException e) {
            if (e.getCause() instanceof CorruptFileException corrupt) {
                quarantine(file, corrupt.getMessage());
            } else {
                LOG.error("Cannot read spool file {}; left in place: {}", file, e.getMessage());
            }
        }
    }

    private void quarantine(Path file, String reason) {
        Path target = spool.layout().quarantine().resolve(file.getFileName());
        try {
            for (int n = 1; Files.exists(target); n++) {
                target = spool.layout().quarantine().resolve(file.getFileName() + "." + n);
            }
            Files.move(file, target);
            quarantined.increment();
            LOG.warn("Quarantined corrupt spool file {} as {}: {}", file, target, reason);
        } catch (IOException e) {
            LOG.error("Corrupt spool file {} ({}) could not be moved to quarantine: {}", file, reason, e.toString());
        }
    }

    /** Only directories older than this run's first id: a newer one may be about to receive a file. */
    private void deleteIfEmpty(Path dir) {
        Path rel = spool.layout().messages().relativize(dir);
        String prefix = rel.toString().replace(rel.getFileSystem().getSeparator(), "");
        if (prefix.compareTo(QueueIds.format(boundary).substring(0, prefix.length())) >= 0) {
            return;
        }
        try {
            Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException expected) {
            // still holds mail
        } catch (IOException e) {
            LOG.debug("Cannot delete empty spool directory {}", dir, e);
        }
    }

    private static List<Path> sorted(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.filter(Files::isDirectory).sorted().toList());
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(10_000);
        workers.shutdownNow();
        workers.awaitTermination(10, TimeUnit.SECONDS);
    }
}
