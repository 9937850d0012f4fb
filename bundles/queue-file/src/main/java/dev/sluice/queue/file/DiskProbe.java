package dev.sluice.queue.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Measures the spool's file system; injectable so tests can fake a full disk. */
interface DiskProbe {

    /** @param totalInodes -1 when the platform cannot tell */
    record Usage(long totalBytes, long usableBytes, long totalInodes, long freeInodes) {
    }

    Usage probe(Path directory) throws IOException;

    /**
     * Space from {@link FileStore}; inodes from {@code stat -f} because Java has no statvfs. When stat is
     * missing or fails, inodes are not checked from then on (one log line), space still is.
     */
    final class Default implements DiskProbe {

        private static final Logger LOG = LoggerFactory.getLogger(DiskProbe.class);
        private volatile boolean statWorks = true;

        @Override
        public Usage probe(Path directory) throws IOException {
            FileStore store = Files.getFileStore(directory);
            long[] inodes = statWorks ? inodes(directory) : null;
            return new Usage(store.getTotalSpace(), store.getUsableSpace(), inodes == null ? -1 : inodes[0],
                    inodes == null ? -1 : inodes[1]);
        }

        private long[] inodes(Path directory) {
            Process p = null;
            try {
                p = new ProcessBuilder("stat", "-f", "-c", "%c %d", directory.toString())
                        .redirectErrorStream(true).start();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException("stat -f took longer than 5 s");
                }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
                String[] parts = out.split("\\s+");
                if (p.exitValue() != 0 || parts.length != 2) {
                    throw new IOException("stat -f said: " + out);
                }
                return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
            } catch (IOException | NumberFormatException e) {
                statWorks = false;
                LOG.info("Free inodes of {} cannot be measured ({}); only free space is checked", directory,
                        e.getMessage());
                return null;
            } catch (InterruptedException e) {
                p.destroyForcibly(); // the queue is stopping: leave no child behind
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }
}
