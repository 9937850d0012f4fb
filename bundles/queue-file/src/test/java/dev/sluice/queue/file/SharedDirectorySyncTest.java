package dev.sluice.queue.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SharedDirectorySyncTest {

    private static final Path A = Path.of("q", "a");
    private static final Path B = Path.of("q", "b");

    /** Records each directory fsync; the first one blocks until released. */
    private static final class GatedSync implements FileSync {
        final List<Path> forced = new CopyOnWriteArrayList<>();
        final CountDownLatch firstEntered = new CountDownLatch(1);
        final CountDownLatch releaseFirst = new CountDownLatch(1);
        volatile IOException failure;

        @Override
        public void force(FileChannel channel) {
            throw new AssertionError("no file fsync expected");
        }

        @Override
        public void forceDirectory(Path directory) throws IOException {
            if (firstEntered.getCount() > 0) {
                firstEntered.countDown();
                try {
                    releaseFirst.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            if (failure != null) {
                throw failure;
            }
            forced.add(directory);
        }
    }

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private CompletableFuture<Void> force(SharedDirectorySync shared, Path dir) {
        return CompletableFuture.runAsync(() -> {
            try {
                shared.force(dir);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, threads);
    }

    @Test
    void callersDuringARoundWaitForTheNextOneWhichTheyShare() throws Exception {
        GatedSync sync = new GatedSync();
        SharedDirectorySync shared = new SharedDirectorySync(sync);
        CompletableFuture<Void> first = force(shared, A);
        assertTrue(sync.firstEntered.await(10, TimeUnit.SECONDS));
        // changes made while the first round runs: it may have read the directory already
        List<CompletableFuture<Void>> later = List.of(force(shared, A), force(shared, B), force(shared, A));
        awaitWaiting(3);
        assertFalse(later.stream().anyMatch(CompletableFuture::isDone), "nobody returns before its own round");

        sync.releaseFirst.countDown();
        first.get(10, TimeUnit.SECONDS);
        for (CompletableFuture<Void> f : later) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertEquals(A, sync.forced.get(0));
        assertEquals(List.of(A, B), sync.forced.subList(1, sync.forced.size()).stream().sorted().toList(),
                "one more round, each directory once, for the three callers");
    }

    @Test
    void aFailedFsyncFailsEveryCallerOfItsRoundAndTheNextRoundStillRuns() throws Exception {
        GatedSync sync = new GatedSync();
        SharedDirectorySync shared = new SharedDirectorySync(sync);
        sync.failure = new IOException("Input/output error (injected)");
        CompletableFuture<Void> first = force(shared, A);
        assertTrue(sync.firstEntered.await(10, TimeUnit.SECONDS));
        sync.releaseFirst.countDown();
        Exception e = assertThrows(Exception.class, () -> first.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("injected"), e.toString());

        sync.failure = null;
        shared.force(B);
        assertEquals(List.of(B), sync.forced);
    }

    private static GatedSync ungated() {
        GatedSync sync = new GatedSync();
        sync.firstEntered.countDown();
        return sync;
    }

    /** A shared sync whose group committer has just fsynced a directory (B): removals may wait for the next one. */
    private static SharedDirectorySync mailComingIn(FileSync sync) {
        SharedDirectorySync shared = new SharedDirectorySync(sync);
        assertEquals(null, shared.claim(B), "nothing waits for a commit yet");
        return shared;
    }

    private CompletableFuture<Void> forceLingering(SharedDirectorySync shared, Path dir, long lingerNanos) {
        return CompletableFuture.runAsync(() -> {
            try {
                shared.force(dir, lingerNanos);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, threads);
    }

    @Test
    void aRemovalWaitingForACommitOfItsDirectoryReturnsWithThatCommitsFsync() throws Exception {
        GatedSync sync = ungated();
        SharedDirectorySync shared = mailComingIn(sync);
        CompletableFuture<Void> removal = waitingRemovalFromA(shared);

        SharedDirectorySync.Round claimed = shared.claim(A); // the group committer, about to fsync A
        assertTrue(claimed != null, "the removal's round is taken by the commit");
        sync.forceDirectory(A);
        assertFalse(removal.isDone(), "not before the commit says it is done");
        shared.finish(claimed, null);
        removal.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(A), sync.forced, "one fsync for the commit and the removal");
    }

    @Test
    void aCommitOfAnotherDirectoryDoesNotCoverTheRemoval() throws Exception {
        GatedSync sync = ungated();
        SharedDirectorySync shared = mailComingIn(sync);
        CompletableFuture<Void> removal = waitingRemovalFromA(shared);
        assertEquals(null, shared.claim(B), "a commit to B does not cover a removal from A");
        assertFalse(removal.isDone());
        SharedDirectorySync.Round claimed = shared.claim(A);
        assertTrue(claimed != null, "a commit to A does");
        shared.finish(claimed, null);
        removal.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aFailedCommitFsyncFailsTheRemovalsItTook() throws Exception {
        GatedSync sync = ungated();
        SharedDirectorySync shared = mailComingIn(sync);
        CompletableFuture<Void> removal = waitingRemovalFromA(shared);
        SharedDirectorySync.Round claimed = shared.claim(A);
        shared.finish(claimed, new IOException("Input/output error (injected)"));
        Exception e = assertThrows(Exception.class, () -> removal.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("injected"), e.toString());
        assertEquals(null, shared.claim(A), "nothing left waiting");
    }

    @Test
    void theNextRemovalEndsTheWaitAndFsyncsForBoth() throws Exception {
        GatedSync sync = ungated();
        SharedDirectorySync shared = mailComingIn(sync);
        CompletableFuture<Void> first = waitingRemovalFromA(shared);
        forceLingering(shared, A, TimeUnit.MINUTES.toNanos(5)).get(10, TimeUnit.SECONDS);
        first.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(A), sync.forced, "one fsync, run by the second removal, for both");
    }

    @Test
    void withNoMailComingInARemovalDoesNotWaitForACommit() throws Exception {
        GatedSync sync = ungated();
        SharedDirectorySync shared = new SharedDirectorySync(sync);
        forceLingering(shared, A, TimeUnit.MINUTES.toNanos(5)).get(10, TimeUnit.SECONDS);
        assertEquals(List.of(A), sync.forced, "fsynced at once: no commit has been seen, none is waited for");
    }

    /** A removal from A, once it waits (up to 5 minutes) for a commit to claim it. */
    private CompletableFuture<Void> waitingRemovalFromA(SharedDirectorySync shared) throws InterruptedException {
        CompletableFuture<Void> removal = forceLingering(shared, A, TimeUnit.MINUTES.toNanos(5));
        Fixtures.awaitThreadsIn("waitNanos", Thread.State.TIMED_WAITING, 1);
        return removal;
    }

    /** Waits (bounded) until this many of the test's threads are blocked waiting for a round. */
    private static void awaitWaiting(int n) throws InterruptedException {
        Fixtures.awaitThreadsIn("wait0", Thread.State.WAITING, n);
    }
}
