package dev.sluice.queue.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.QueueId;
import dev.sluice.api.queue.MessageWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitTest {

    private static final int COMMITS = 40;

    @TempDir
    Path dir;

    @Test
    void concurrentCommitsShareDirectoryFsyncs() throws Exception {
        CountDownLatch allSubmitted = new CountDownLatch(COMMITS);
        Fixtures.CountingSync counting = new Fixtures.CountingSync();
        // Hold the first fsync until every commit is queued, so the rest must form one batch.
        FileSync gated = new FileSync() {
            @Override
            public void force(FileChannel channel) throws IOException {
                try {
                    if (!allSubmitted.await(10, TimeUnit.SECONDS)) {
                        throw new IOException("commits were not submitted in time");
                    }
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                counting.force(channel);
            }

            @Override
            public void forceDirectory(Path directory) throws IOException {
                counting.forceDirectory(directory);
            }
        };
        try (FileSpool spool = new FileSpool(Fixtures.settings(dir).withSync(gated))) {
            int directoryFsyncsBefore = counting.directories.get();
            List<CompletableFuture<QueueId>> commits = new ArrayList<>();
            for (int i = 0; i < COMMITS; i++) {
                MessageWriter w = spool.open(Fixtures.envelope("r" + i + "@d" + i + ".example"));
                w.content().write(Fixtures.body(w.queueId()).getBytes());
                commits.add(w.commit().toCompletableFuture());
                allSubmitted.countDown();
            }
            HashSet<QueueId> ids = new HashSet<>();
            for (CompletableFuture<QueueId> c : commits) {
                ids.add(c.get(20, TimeUnit.SECONDS));
            }
            assertEquals(COMMITS, ids.size());
            assertEquals(COMMITS, counting.files.get(), "every file is fsynced");
            int directoryFsyncs = counting.directories.get() - directoryFsyncsBefore;
            assertTrue(directoryFsyncs < COMMITS / 4,
                    "directory fsyncs shared: " + directoryFsyncs + " for " + COMMITS + " commits");
            assertEquals(COMMITS, spool.size());
            for (QueueId id : ids) {
                Fixtures.assertIntact(spool, id);
            }
        }
    }
}
