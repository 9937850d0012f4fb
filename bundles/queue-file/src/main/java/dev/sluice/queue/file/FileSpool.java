package dev.sluice.queue.file;

import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.MessageContent;
import dev.sluice.api.mail.QueueId;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.queue.MailQueue;
import dev.sluice.api.queue.MessageWriter;
import dev.sluice.api.queue.QueueEntry;
import dev.sluice.api.queue.QueueException;
import dev.sluice.api.queue.QueuedMessage;
import dev.sluice.api.queue.RecipientUpdate;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file spool: one file per message, a compact in-memory index, group commit, disk health and
 * background recovery. Plain Java so that tests and benchmarks run it without a framework.
 */
final class FileSpool implements MailQueue, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileSpool.class);
    /** Finished files are reused after this long (see {@link FilePool}), at most so many of them and bytes. */
    private static final long POOL_GRACE_MILLIS = 10_000;
    private static final int POOL_FILES = 65_536;
    private static final long POOL_BYTES = 256L << 20;
    /** Committed messages whose state (and content up to 16 KB) is kept until their first change. */
    private static final int FRESH_MESSAGES = 4096;
    private static final long FRESH_BYTES = 8L << 20;
    private static final long FRESH_MAX_AGE_MILLIS = 10_000;

    private final SpoolSettings settings;
    private final SpoolLayout layout;
    private final QueueIds ids;
    private final SpoolIndex index = new SpoolIndex();
    private final StripedLocks locks = new StripedLocks(1024);
    private final GroupCommitter committer;
    private final SharedDirectorySync removals;
    private final FilePool pool;
    private final FreshMessages fresh;
    /** No file of an earlier run has an id after this millisecond: newer ids need no check for a collision. */
    private final long earlierRunMillis;
    private final HeldDestinationsFile held;
    private final DiskHealth health;
    private final SpoolRecovery recovery;
    private volatile Path lastLeaf;
    private final Object leafLock = new Object();

    FileSpool(SpoolSettings settings) throws IOException {
        this.settings = settings;
        this.layout = new SpoolLayout(settings.root());
        this.ids = new QueueIds(settings.clock());
        this.fresh = new FreshMessages(FRESH_MESSAGES, FRESH_BYTES, FRESH_MAX_AGE_MILLIS, settings.clock());
        Files.createDirectories(layout.messages());
        Files.createDirectories(layout.quarantine());
        this.health = new DiskHealth(settings.root(), settings.minFreeSpacePercent(),
                settings.minFreeInodesPercent(), settings.probe(), settings.diskCheckInterval());
        this.removals = new SharedDirectorySync(settings.sync());
        this.committer = new GroupCommitter(settings.sync(), removals, settings.syncThreads(), settings.maxBatch());
        this.pool = new FilePool(layout.pool(), settings.clock(), POOL_GRACE_MILLIS, POOL_FILES, POOL_BYTES);
        this.held = new HeldDestinationsFile(layout.heldDestinations(), settings.sync());
        this.earlierRunMillis = SpoolLayout.newestLeafEndMillis(layout.messages());
        this.recovery = new SpoolRecovery(this, ids.next(), settings.recoveryThreads());
    }

    @Override
    public MessageWriter open(Envelope envelope) throws QueueException {
        health.check();
        byte[] encoded = EnvelopeCodec.encode(envelope);
        for (int attempt = 0; ; attempt++) {
            long key = ids.next();
            try {
                if (QueueIds.millis(key) <= earlierRunMillis && Files.exists(layout.file(key))) {
                    continue; // the clock stepped back since an earlier run
                }
                ensureLeaf(layout.file(key).getParent());
                return new FileMessageWriter(this, key, pool.checkOut(), envelope, encoded);
            } catch (FileAlreadyExistsException | NoSuchFileException e) {
                lastLeaf = null; // someone removed a directory under us: create it again
                if (attempt > 100 || !Files.isDirectory(layout.pool()) && !recreate(layout.pool())) {
                    throw ioError("cannot create a spool file", e);
                }
            } catch (IOException e) {
                throw ioError("cannot create a spool file", e);
            }
        }
    }

    private static boolean recreate(Path dir) {
        try {
            Files.createDirectories(dir);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public Optional<QueuedMessage> get(QueueId id) throws QueueException {
        long key = QueueIds.parse(id.value());
        if (key < 0) {
            return Optional.empty();
        }
        FreshMessages.Fresh f = fresh.get(key);
        if (f != null) {
            return Optional.of(f.state().toQueued(id));
        }
        return Optional.ofNullable(locked(key, () -> {
            MessageState state = load(key);
            return state == null ? null : state.toQueued(id);
        }));
    }

    @Override
    public MessageContent content(QueueId id) throws QueueException {
        long key = QueueIds.parse(id.value());
        FreshMessages.Fresh f = key < 0 ? null : fresh.get(key);
        if (f != null) {
            return f.content(layout.file(key));
        }
        // the header alone says where the content is: no envelope or records to decode for every delivery
        long[] region = key < 0 ? null : locked(key, () -> {
            try (FileChannel ch = FileChannel.open(layout.file(key), StandardOpenOption.READ)) {
                return MessageFormat.contentRegion(ch);
            } catch (NoSuchFileException e) {
                return null;
            }
        });
        if (region == null) {
            throw notFound(id);
        }
        return new FileContent(layout.file(key), region[0], region[1]);
    }

    @Override
    public void update(QueueId id, List<RecipientUpdate> updates) throws QueueException {
        change(id, state -> {
            ByteBuffer[] records = new ByteBuffer[updates.size()];
            for (int i = 0; i < records.length; i++) {
                state.apply(updates.get(i));
                records[i] = MessageFormat.record(MessageFormat.RECORD_UPDATE,
                        MessageFormat.updatePayload(updates.get(i)));
            }
            return records;
        });
    }

    @Override
    public void setHeld(QueueId id, boolean held) throws QueueException {
        change(id, state -> {
            state.held = held;
            byte[] flag = {(byte) (held ? 1 : 0)};
            return new ByteBuffer[] {MessageFormat.record(MessageFormat.RECORD_HOLD, flag)};
        });
    }

    @Override
    public void remove(QueueId id) throws QueueException {
        long key = QueueIds.parse(id.value());
        if (key < 0) {
            return;
        }
        Path file = layout.file(key);
        boolean deleted = locked(key, () -> {
            fresh.forget(key);
            index.remove(key);
            return Files.deleteIfExists(file);
        });
        if (deleted) {
            try {
                removals.force(file.getParent()); // else it could come back after a crash
            } catch (IOException e) {
                throw ioError("directory fsync after removing " + id, e);
            }
        }
    }

    @Override
    public Set<String> heldDestinations() throws QueueException {
        try {
            return held.read();
        } catch (IOException e) {
            throw ioError("cannot read " + layout.heldDestinations(), e);
        }
    }

    @Override
    public boolean storeHeldDestinations(Set<String> destinations) throws QueueException {
        try {
            held.store(destinations);
            return true;
        } catch (IOException e) {
            throw ioError("cannot store " + layout.heldDestinations(), e);
        }
    }

    @Override
    public void forEach(Consumer<QueueEntry> action) {
        index.forEach(entry -> action.accept(entry.toQueueEntry()));
    }

    @Override
    public long size() {
        return index.size();
    }

    /** Completes when the startup scan has finished; mail is accepted before that. */
    java.util.concurrent.CompletableFuture<SpoolRecovery.Stats> recovered() {
        return recovery.done();
    }

    private interface Change {
        ByteBuffer[] apply(MessageState state) throws QueueException;
    }

    /** What {@link #change} did: nothing (no such message), appended records, or removed the file. */
    private record Changed(boolean found, Path removedFrom) {
    }

    /**
     * Read and apply. If a recipient is still unfinished afterwards, the records are appended and fsynced. If
     * every recipient is final, nothing is written: the file is unlinked and its directory fsynced (one fsync
     * shared by concurrent removals, outside the lock). A file that comes back after a crash before that fsync
     * replays to its last stored state and is delivered again: a duplicate, never a loss.
     */
    private void change(QueueId id, Change change) throws QueueException {
        long key = QueueIds.parse(id.value());
        if (key < 0) {
            throw notFound(id);
        }
        Changed changed = locked(key, () -> {
            fresh.forget(key);
            Path file = layout.file(key);
            MessageState state;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                state = MessageFormat.read(ch);
                ByteBuffer[] records = change.apply(state);
                if (!state.isComplete()) {
                    append(ch, state.validEnd, records);
                }
            } catch (NoSuchFileException e) {
                return new Changed(false, null);
            }
            if (state.isComplete()) {
                pool.recycle(file, state.validEnd);
                index.remove(key);
                return new Changed(true, file.getParent());
            }
            index.put(state.toIndexEntry(key));
            return new Changed(true, null);
        });
        if (!changed.found()) {
            throw notFound(id);
        }
        if (changed.removedFrom() != null) {
            try {
                removals.force(changed.removedFrom(), settings.removalLinger().toNanos());
            } catch (IOException e) {
                // The message is delivered and gone from the index; failing the update now would only keep its
                // outcome out of the delivery log. Should the file come back after a crash it is sent again.
                ioError("directory fsync after removing " + id + " from " + changed.removedFrom(), e);
            }
        }
    }

    private void append(FileChannel ch, long validEnd, ByteBuffer[] records) throws IOException {
        if (ch.size() > validEnd) {
            ch.truncate(validEnd);
        }
        ch.position(validEnd);
        for (ByteBuffer r : records) {
            while (r.hasRemaining()) {
                ch.write(r);
            }
        }
        settings.sync().force(ch);
    }

    private <T> T locked(long key, StripedLocks.Body<T> body) throws QueueException {
        try {
            return locks.with(key, body);
        } catch (IOException e) {
            throw ioError("spool file of " + QueueIds.format(key), e);
        }
    }

    private MessageState load(long key) throws IOException {
        try (FileChannel ch = FileChannel.open(layout.file(key), StandardOpenOption.READ)) {
            return MessageFormat.read(ch);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * New directories must be durable before a file in them can be. Locked so that a second writer cannot see
     * the directory another one has just created and go on before its entry is fsynced (or failed to be).
     */
    private void ensureLeaf(Path leaf) throws IOException {
        if (leaf.equals(lastLeaf)) {
            return;
        }
        synchronized (leafLock) {
            if (leaf.equals(lastLeaf)) {
                return;
            }
            if (!Files.isDirectory(leaf)) {
                Files.createDirectories(leaf);
                settings.sync().forceDirectory(leaf.getParent());
                settings.sync().forceDirectory(layout.messages());
            }
            lastLeaf = leaf;
        }
    }

    /** Called by recovery for each message file of an earlier run. */
    SpoolRecovery.Outcome recover(long key, Path file) throws QueueException {
        return locked(key, () -> {
            MessageState state = load(key);
            if (state == null) {
                return SpoolRecovery.Outcome.GONE;
            }
            if (state.isComplete()) {
                Files.deleteIfExists(file);
                return SpoolRecovery.Outcome.COMPLETE;
            }
            IndexEntry entry = state.toIndexEntry(key);
            if (index.putIfAbsent(entry)) {
                settings.announcer().accept(entry.toQueueEntry());
            }
            return SpoolRecovery.Outcome.RECOVERED;
        });
    }

    void committed(long key, IndexEntry entry, FreshMessages.Fresh state) {
        fresh.put(key, state); // before anyone hears of it
        index.put(entry);
        settings.announcer().accept(entry.toQueueEntry());
    }

    QueueException ioError(String what, Throwable cause) {
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof QueueException qe) {
            return qe;
        }
        if (cause instanceof IOException io) {
            health.onIoError(io);
        }
        LOG.warn("Queue I/O error: {}: {}", what, cause.toString());
        return QueueException.ioError(what + ": " + cause, cause);
    }

    private static QueueException notFound(QueueId id) {
        return new QueueException(Reply.of(451, "4.3.0", "Message " + id + " is not in the queue"),
                "no message " + id + " in the queue");
    }

    void leftover(Path file, IOException e) {
        LOG.warn("Cannot delete {} ({}); the next start removes it", file, e.toString());
    }

    SpoolLayout layout() {
        return layout;
    }

    Clock clock() {
        return settings.clock();
    }

    GroupCommitter committer() {
        return committer;
    }

    DiskHealth health() {
        return health;
    }

    @Override
    public void close() throws InterruptedException {
        recovery.close();
        committer.close();
        health.close();
    }
}
