package dev.sluice.queue.file;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finished message files kept for reuse instead of unlinked. Every new file costs the file system an inode to
 * find and initialise, and on ext4 without a journal the search first skips every inode freed in the last
 * minutes, so the more mail flows the more each new file costs. A reception writes into a pooled file where it
 * lies and the commit renames it into place, so a message costs two renames and no create or unlink.
 * A file becomes reusable only {@code grace} after it was put back, so that a reader that opened the old message
 * just before it was finished never reads another message's bytes. Bounded in files and bytes: beyond that,
 * finished files are unlinked as before. Files of an earlier run are reusable at once (no reader survived).
 */
final class FilePool {

    private static final Logger LOG = LoggerFactory.getLogger(FilePool.class);

    private final Path dir;
    private final Clock clock;
    private final long graceMillis;
    private final long maxBytes;
    /** A ring, oldest first: the file's name in {@code dir}, its size, when it was put back. */
    private final long[] names;
    private final long[] sizes;
    private final long[] since;
    private int head;
    private int count;
    private long bytes;
    /** Room held for files being moved in. */
    private int reserved;
    private long reservedBytes;
    private long nextName;

    FilePool(Path dir, Clock clock, long graceMillis, int maxFiles, long maxBytes) throws IOException {
        this.dir = dir;
        this.clock = clock;
        this.graceMillis = graceMillis;
        this.maxBytes = maxBytes;
        this.names = new long[maxFiles];
        this.sizes = new long[maxFiles];
        this.since = new long[maxFiles];
        Files.createDirectories(dir);
        adopt();
    }

    /**
     * Moves a finished message file into the pool, or unlinks it when the pool is full. Either way the file is gone
     * from its directory when this returns (the caller makes that durable).
     */
    void recycle(Path file, long length) throws IOException {
        long size = (length + 4095) & ~4095L; // what it holds on disk: whole blocks
        long name = reserve(size);
        if (name >= 0) {
            boolean kept = false;
            try {
                Files.move(file, dir.resolve(Long.toString(name)), StandardCopyOption.ATOMIC_MOVE);
                kept = true;
            } catch (NoSuchFileException e) {
                release(size);
                return;
            } catch (IOException e) {
                LOG.debug("Cannot keep {} for reuse ({}); deleting it", file, e.toString());
            }
            if (kept) {
                admit(name, size, clock.millis());
                return;
            }
            release(size);
        }
        Files.deleteIfExists(file);
    }

    /** A name for a file about to be put back, with room held for it; -1 when the pool is full. */
    private synchronized long reserve(long size) {
        if (count + reserved == names.length || bytes + reservedBytes + size > maxBytes) {
            return -1;
        }
        reserved++;
        reservedBytes += size;
        return nextName++;
    }

    private synchronized void release(long size) {
        reserved--;
        reservedBytes -= size;
    }

    private synchronized void admit(long name, long size, long at) {
        release(size);
        add(name, size, at);
    }

    /**
     * The file a new message is written into, in the pool's directory: the oldest pooled file whose grace is over
     * (it still holds old bytes: the writer overwrites it and truncates it to what it wrote), or else the name of
     * a new one, not created yet. The caller renames it away when the message is committed, or deletes it.
     */
    synchronized Path checkOut() {
        if (count > 0 && since[head] + graceMillis <= clock.millis()) {
            long name = names[head];
            bytes -= sizes[head];
            head = (head + 1) % names.length;
            count--;
            return dir.resolve(Long.toString(name));
        }
        return dir.resolve(Long.toString(nextName++));
    }

    synchronized int size() {
        return count;
    }

    private synchronized void add(long name, long size, long at) {
        int i = (head + count) % names.length;
        names[i] = name;
        sizes[i] = size;
        since[i] = at;
        count++;
        bytes += size;
    }

    /** Files left by an earlier run: reusable at once; anything else in the directory is deleted. */
    private void adopt() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                long name = parse(f.getFileName().toString());
                long size = Files.isRegularFile(f) ? Files.size(f) : -1;
                if (name < 0 || size < 0 || count == names.length || bytes + size > maxBytes || linkedElsewhere(f)) {
                    deleteQuietly(f);
                    continue;
                }
                nextName = Math.max(nextName, name + 1);
                add(name, size, Long.MIN_VALUE / 2);
            }
        }
    }

    /**
     * A crash on a file system without a journal can leave a finished message's move into the pool half done: the
     * file under both its queue name and its pool name (fsck then counts two links). Reusing it would overwrite a
     * message the queue still holds, so only its pool name goes.
     */
    private static boolean linkedElsewhere(Path f) {
        try {
            return ((Number) Files.getAttribute(f, "unix:nlink")).intValue() > 1;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false; // no link count on this file system: nothing more to know
        }
    }

    private static void deleteQuietly(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            LOG.warn("Cannot delete {} from the spool's file pool: {}", f, e.toString());
        }
    }

    private static long parse(String name) {
        try {
            return Long.parseLong(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
