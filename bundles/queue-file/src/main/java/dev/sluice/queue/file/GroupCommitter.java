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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit. One thread takes whatever commits are pending as a batch; a batch fsyncs its files in
 * parallel (the file system merges concurrent fsyncs into one journal commit), renames them into place and
 * then fsyncs each directory once for the whole batch. Two batches are in flight at a time, so that one
 * batch's file fsyncs overlap the other's directory fsync. {@code onDurable} runs after the directory fsync.
 */
final class GroupCommitter implements AutoCloseable {

    record Pending(FileChannel channel, Path temp, Path target, Runnable onDurable, CompletableFuture<Void> done) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);
    private static final Pending STOP = new Pending(null, null, null, null, null);
    private static final int PIPELINE = 2;

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final FileSync sync;
    private final int maxBatch;
    private final ExecutorService forcers;
    private final ExecutorService pipeline;
    private final Semaphore inFlight = new Semaphore(PIPELINE);
    private final Thread thread;
    private boolean closed;

    GroupCommitter(FileSync sync, int syncThreads, int maxBatch) {
        this.sync = sync;
        this.maxBatch = maxBatch;
        AtomicInteger n = new AtomicInteger();
        this.forcers = Executors.newFixedThreadPool(syncThreads,
                r -> new Thread(r, "sluice-queue-file-sync-" + n.incrementAndGet()));
        AtomicInteger b = new AtomicInteger();
        this.pipeline = Executors.newFixedThreadPool(PIPELINE,
                r -> new Thread(r, "sluice-queue-file-commit-" + b.incrementAndGet()));
        this.thread = new Thread(this::run, "sluice-queue-file-commit");
        thread.start();
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
                boolean stop = batch.remove(STOP);
                inFlight.acquire();
                pipeline.execute(() -> {
                    try {
                        commit(batch);
                    } finally {
                        inFlight.release();
                    }
                });
                if (stop) {
                    inFlight.acquire(PIPELINE);
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Pending> rest = new ArrayList<>();
        queue.drainTo(rest);
        rest.stream().filter(p -> p != STOP)
                .forEach(p -> p.done().completeExceptionally(new IOException("the queue is stopping")));
    }

    private void commit(List<Pending> batch) {
        Map<Pending, Future<?>> forced = new HashMap<>();
        for (Pending p : batch) {
            forced.put(p, batch.size() == 1 ? CompletableFuture.completedFuture(null)
                    : forcers.submit(() -> forceFile(p)));
        }
        Map<Path, List<Pending>> byDirectory = new HashMap<>();
        for (Pending p : batch) {
            try {
                if (batch.size() == 1) {
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
            try {
                sync.forceDirectory(dir);
            } catch (IOException | RuntimeException e) {
                pendings.forEach(p -> p.done().completeExceptionally(e));
                return;
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
            closed = true; // nothing gets behind STOP, where it would wait forever
            queue.add(STOP);
        }
        thread.join(10_000);
        pipeline.shutdown();
        pipeline.awaitTermination(10, TimeUnit.SECONDS);
        forcers.shutdownNow();
        forcers.awaitTermination(10, TimeUnit.SECONDS);
    }
}
