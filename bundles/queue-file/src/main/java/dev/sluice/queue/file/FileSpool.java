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
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file spool: one file per message, a compact in-memory index, group commit, disk health and
 * background recovery. Plain Java so that tests and benchmarks run it without a framework.
 */
final class FileSpool implements MailQueue, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileSpool.class);

    private final SpoolSettings settings;
    private final SpoolLayout layout;
    private final QueueIds ids;
    private final SpoolIndex index = new SpoolIndex();
    private final StripedLocks locks = new StripedLocks(1024);
    private final GroupCommitter committer;
    private final DiskHealth health;
    private final SpoolRecovery recovery;
    private volatile Path lastLeaf;
    private final Object leafLock = new Object();
    private final Object heldLock = new Object();

    FileSpool(SpoolSettings settings) throws IOException {
        this.settings = settings;
        this.layout = new SpoolLayout(settings.root());
        this.ids = new QueueIds(settings.clock());
        Files.createDirectories(layout.messages());
        Files.createDirectories(layout.quarantine());
        this.health = new DiskHealth(settings.root(), settings.minFreeSpacePercent(),
                settings.minFreeInodesPercent(), settings.probe(), settings.diskCheckInterval());
        this.committer = new GroupCommitter(settings.sync(), settings.syncThreads(), settings.maxBatch());
        this.recovery = new SpoolRecovery(this, ids.next(), settings.recoveryThreads());
    }

    @Override
    public MessageWriter open(Envelope envelope) throws QueueException {
        health.check();
        byte[] encoded = EnvelopeCodec.encode(envelope);
        for (int attempt = 0; ; attempt++) {
            long key = ids.next();
            try {
                if (Files.exists(layout.file(key))) {
                    continue; // the clock stepped back since an earlier run
                }
                ensureLeaf(layout.temp(key).getParent());
                return new FileMessageWriter(this, key, layout.temp(key), envelope, encoded);
            } catch (FileAlreadyExistsException | NoSuchFileException e) {
                lastLeaf = null; // someone removed the directory under us: create it again
                if (attempt > 100) {
                    throw ioError("cannot create a spool file", e);
                }
            } catch (IOException e) {
                throw ioError("cannot create a spool file", e);
            }
        }
    }

    @Override
    public Optional<QueuedMessage> get(QueueId id) throws QueueException {
        long key = QueueIds.parse(id.value());
        if (key < 0) {
            return Optional.empty();
        }
        return Optional.ofNullable(locked(key, () -> {
            MessageState state = load(key);
            return state == null ? null : state.toQueued(id);
        }));
    }

    @Override
    public MessageContent content(QueueId id) throws QueueException {
        long key = QueueIds.parse(id.value());
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
        locked(key, () -> {
            Path file = layout.file(key);
            if (Files.deleteIfExists(file)) {
                settings.sync().forceDirectory(file.getParent()); // else it could come back after a crash
            }
            index.remove(key);
            return null;
        });
    }

    @Override
    public Set<String> heldDestinations() throws QueueException {
        synchronized (heldLock) {
            try {
                return Set.copyOf(Files.readAllLines(layout.heldDestinations(), StandardCharsets.UTF_8).stream()
                        .map(String::strip).filter(l -> !l.isEmpty()).toList());
            } catch (NoSuchFileException e) {
                return Set.of();
            } catch (IOException e) {
                throw ioError("cannot read " + layout.heldDestinations(), e);
            }
        }
    }

    /** Written aside, fsynced, renamed over the old list and the directory fsynced: old list or new, never half. */
    @Override
    public boolean storeHeldDestinations(Set<String> destinations) throws QueueException {
        Path target = layout.heldDestinations();
        Path temp = target.resolveSibling(target.getFileName() + SpoolLayout.TEMP_SUFFIX);
        byte[] text = destinations.stream().sorted().map(d -> d + "\n").collect(Collectors.joining())
                .getBytes(StandardCharsets.UTF_8);
        synchronized (heldLock) {
            try {
                try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer buffer = ByteBuffer.wrap(text);
                    while (buffer.hasRemaining()) {
                        ch.write(buffer);
                    }
                    settings.sync().force(ch);
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                settings.sync().forceDirectory(settings.root());
                return true;
            } catch (IOException e) {
                throw ioError("cannot store " + target, e);
            }
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

    /** Read, apply, append the records and fsync, then reflect the result in the index. */
    private void change(QueueId id, Change change) throws QueueException {
        long key = QueueIds.parse(id.value());
        if (key < 0) {
            throw notFound(id);
        }
        Boolean found = locked(key, () -> {
            Path file = layout.file(key);
            MessageState state;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                state = MessageFormat.read(ch);
                ByteBuffer[] records = change.apply(state);
                if (ch.size() > state.validEnd) {
                    ch.truncate(state.validEnd);
                }
                ch.position(state.validEnd);
                for (ByteBuffer r : records) {
                    while (r.hasRemaining()) {
                        ch.write(r);
                    }
                }
                settings.sync().force(ch);
            } catch (NoSuchFileException e) {
                return false;
            }
            if (state.isComplete()) {
                Files.deleteIfExists(file); // no directory fsync: if this comes back, recovery deletes it again
                index.remove(key);
            } else {
                index.put(state.toIndexEntry(key));
            }
            return true;
        });
        if (!found) {
            throw notFound(id);
        }
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

    void committed(IndexEntry entry) {
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
