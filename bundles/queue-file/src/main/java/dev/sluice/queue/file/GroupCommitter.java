package dev.sluice.queue.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit. Two committer threads each take whatever commits are pending as a batch (so two batches are in
 * flight, and one batch's file fsyncs overlap the other's directory fsync); a batch fsyncs its files in parallel
 * (the file system merges concurrent fsyncs into one journal commit; the committer fsyncs one file itself),
 * renames them into place and then fsyncs each directory once for the whole batch, which also covers the removals
 * waiting for a fsync of that directory ({@link SharedDirectorySync#claim}). {@code onDurable} runs after the
 * directory fsync. No thread passes a batch to another: a commit wakes one committer, and a file of
 * the batch beyond the first wakes a sync thread.
 */
final class GroupCommitter implements AutoCloseable {

    record Pending(FileChannel channel, Path temp, Path target, Runnable onDurable, CompletableFuture<Void> done) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);
    private static final Pending STOP = new Pending(null, null, null, null, null);
    private static final int PIPELINE = 2;

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final FileSync sync;
    private final SharedDirectorySync removals;
    private final int maxBatch;
    private final ExecutorService forcers;
    private final List<Thread> committers = new ArrayList<>();
    private boolean closed;

    GroupCommitter(FileSync sync, SharedDirectorySync removals, int syncThreads, int maxBatch) {
        this.sync = sync;
        this.removals = removals;
        this.maxBatch = maxBatch;
        AtomicInteger n = new AtomicInteger();
        this.forcers = Executors.newFixedThreadPool(syncThreads,
                r -> new Thread(r, "sluice-queue-file-sync-" + n.incrementAndGet()));
        for (int i = 1; i <= PIPELINE; i++) {
            Thread t = new Thread(this::run, "sluice-queue-file-commit-" + i);
            committers.add(t);
            t.start();
        }
    }

    CompletableFuture<Void> submit(FileChannel channel, Path temp, Path target, Runnable onDurable) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (queue) {
            if (closed) {
                done.completeExceptionally(new IOException("the queue is stopping"));
            } else {
                queue.add(new Pending(channel, temp, target, onDurable, done));
            }
        }
        return done;
    }

    private void run() {
        try {
            while (true) {
                List<Pending> batch = new ArrayList<>();
                batch.add(queue.take());
                queue.drainTo(batch, maxBatch - 1);
                int stops = 0;
                while (batch.remove(STOP)) {
                    stops++;
                }
                for (int i = 1; i < stops; i++) {
                    queue.add(STOP); // the other committer's
                }
                if (!batch.isEmpty()) {
                    commit(batch);
                }
                if (stops > 0) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void commit(List<Pending> batch) {
        Map<Pending, Future<?>> forced = new HashMap<>();
        Pending mine = batch.get(0); // fsynced here while the sync threads do the others
        for (Pending p : batch) {
            forced.put(p, p == mine ? null : forcers.submit(() -> forceFile(p)));
        }
        Map<Path, List<Pending>> byDirectory = new HashMap<>();
        for (Pending p : batch) {
            try {
                if (p == mine) {
                    forceFile(p);
                } else {
                    forced.get(p).get();
                }
                Files.move(p.temp(), p.target(), StandardCopyOption.ATOMIC_MOVE);
                byDirectory.computeIfAbsent(p.target().getParent(), d -> new ArrayList<>()).add(p);
            } catch (Exception e) {
                p.done().completeExceptionally(e.getCause() != null && !(e instanceof IOException) ? e.getCause() : e);
            }
        }
        byDirectory.forEach((dir, pendings) -> {
            SharedDirectorySync.Round removed = removals.claim(dir); // removals waiting for this fsync ride along
            IOException failure = null;
            try {
                sync.forceDirectory(dir);
            } catch (IOException | RuntimeException e) {
                failure = e instanceof IOException io ? io : new IOException(e);
                pendings.forEach(p -> p.done().completeExceptionally(e));
                return;
            } finally {
                if (removed != null) {
                    removals.finish(removed, failure);
                }
            }
            for (Pending p : pendings) {
                try {
                    p.onDurable().run();
                } catch (RuntimeException e) {
                    LOG.error("After committing {}", p.target(), e);
                }
                p.done().complete(null);
            }
        });
    }

    private Void forceFile(Pending p) throws IOException {
        sync.force(p.channel());
        return null;
    }

    @Override
    public void close() throws InterruptedException {
        synchronized (queue) {
            closed = true; // nothing gets behind the STOPs, where it would wait forever
            for (int i = 0; i < PIPELINE; i++) {
                queue.add(STOP);
            }
        }
        for (Thread t : committers) {
            t.join(10_000);
        }
        List<Pending> rest = new ArrayList<>();
        queue.drainTo(rest);
        rest.stream().filter(p -> p != STOP)
                .forEach(p -> p.done().completeExceptionally(new IOException("the queue is stopping")));
        forcers.shutdownNow();
        forcers.awaitTermination(10, TimeUnit.SECONDS);
    }
}
