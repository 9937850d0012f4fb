package dev.sluice.queue.file;

import static dev.sluice.api.config.ConfigCheck.between;

import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.MessageContent;
import dev.sluice.api.mail.QueueId;
import dev.sluice.api.queue.MailQueue;
import dev.sluice.api.queue.MessageWriter;
import dev.sluice.api.queue.QueueEntry;
import dev.sluice.api.queue.QueueException;
import dev.sluice.api.queue.QueueListener;
import dev.sluice.api.queue.QueuedMessage;
import dev.sluice.api.queue.RecipientUpdate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The durable file spool as the {@link MailQueue} service; the work is done by {@link FileSpool}. */
@Component(service = MailQueue.class, configurationPid = FileMailQueue.PID)
@Designate(ocd = FileMailQueue.Config.class)
public final class FileMailQueue implements MailQueue {

    static final String PID = "dev.sluice.queue.file";
    private static final Logger LOG = LoggerFactory.getLogger(FileMailQueue.class);

    @ObjectClassDefinition(name = "Sluice file queue", description = "The durable mail spool on the local disk.")
    public @interface Config {
        @AttributeDefinition(name = "Spool directory", description = "Where queued messages are stored; "
                + "relative to the framework property sluice.home (else the working directory).")
        String spoolDirectory() default "spool";

        @AttributeDefinition(name = "Minimum free space (%)", description = "Below this share of free disk "
                + "space new mail is refused with 452 4.3.1. Range: 0 to 99.", min = "0", max = "99")
        int minFreeSpacePercent() default 10;

        @AttributeDefinition(name = "Minimum free inodes (%)", description = "Below this share of free inodes "
                + "new mail is refused with 452 4.3.1 (not checked where stat -f is unavailable). Range: 0 to 99.",
                min = "0", max = "99")
        int minFreeInodesPercent() default 10;

        @AttributeDefinition(name = "Disk check interval (seconds)", description = "How often free space and "
                + "inodes are measured; a write error triggers a measurement at once. Range: 1 to 86400 (a day).",
                min = "1", max = "86400")
        int diskCheckIntervalSeconds() default 10;

        @AttributeDefinition(name = "Parallel fsyncs", description = "Threads that fsync the files of one "
                + "group commit in parallel. Range: 1 to 64.", min = "1", max = "64")
        int syncThreads() default 16;

        @AttributeDefinition(name = "Maximum group commit (messages)", description = "Most messages made "
                + "durable by one group commit. Range: 1 to 100000.", min = "1", max = "100000")
        int maxBatchMessages() default 512;

        @AttributeDefinition(name = "Recovery threads", description = "Threads that scan the spool at start "
                + "(mail is accepted meanwhile); many, because a cold scan waits on disk reads. Range: 1 to 64.",
                min = "1",
                max = "64")
        int recoveryThreads() default 16;
    }

    /** Whiteboard of listeners, see {@link #addListener}. */
    final List<QueueListener> listeners = new CopyOnWriteArrayList<>();
    private final FileSpool spool;
    /** Tells a listener that arrives late what it missed, see {@link #addListener}. */
    private final ExecutorService replays = Executors.newSingleThreadExecutor(
            r -> new Thread(r, "sluice-queue-file-replay"));

    @Activate
    public FileMailQueue(BundleContext context, Config config) {
        between("minFreeSpacePercent", config.minFreeSpacePercent(), 0, 99);
        between("minFreeInodesPercent", config.minFreeInodesPercent(), 0, 99);
        between("diskCheckIntervalSeconds", config.diskCheckIntervalSeconds(), 1, 86_400);
        between("syncThreads", config.syncThreads(), 1, 64);
        between("maxBatchMessages", config.maxBatchMessages(), 1, 100_000);
        between("recoveryThreads", config.recoveryThreads(), 1, 64);
        Path root = resolve(config.spoolDirectory(), context == null ? null : context.getProperty("sluice.home"));
        Consumer<QueueEntry> announcer = this::announce;
        try {
            spool = new FileSpool(new SpoolSettings(root, config.minFreeSpacePercent(),
                    config.minFreeInodesPercent(), Duration.ofSeconds(config.diskCheckIntervalSeconds()),
                    config.syncThreads(), config.maxBatchMessages(), config.recoveryThreads(), Clock.systemUTC(),
                    new DiskProbe.Default(), FileSync.REAL, announcer, SpoolSettings.REMOVAL_LINGER));
        } catch (IOException e) {
            throw new UncheckedIOException("spoolDirectory: cannot use " + root + ": " + e.getMessage(), e);
        }
        LOG.info("File queue on {}", root);
    }

    static Path resolve(String spoolDirectory, String home) {
        if (spoolDirectory == null || spoolDirectory.isBlank()) {
            throw new IllegalArgumentException("spoolDirectory: must not be empty");
        }
        Path p = Path.of(spoolDirectory);
        return (p.isAbsolute() || home == null ? p : Path.of(home).resolve(p)).toAbsolutePath().normalize();
    }

    /** A listener that throws must not cost the others (or the commit thread) anything. */
    private void announce(QueueEntry entry) {
        for (QueueListener l : listeners) {
            tell(l, entry);
        }
    }

    private static void tell(QueueListener l, QueueEntry entry) {
        try {
            l.queued(entry);
        } catch (RuntimeException e) {
            LOG.error("QueueListener {} failed on {}", l, entry.id(), e);
        }
    }

    /**
     * The scheduler is a listener and also uses this queue, so taking its service object while this component
     * is being created (as a plain reference would) is a cycle SCR breaks by leaving the listener out for good.
     * Holding the {@link ComponentServiceObjects} and taking the service at the first announcement avoids it.
     */
    @Reference(service = QueueListener.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "removeListener")
    void addListener(ComponentServiceObjects<QueueListener> objects) {
        LazyListener listener = new LazyListener(objects);
        listeners.add(listener);
        // The startup scan announces from the constructor on, before SCR binds any listener, and a listener's own
        // walk of the index may come before the scan reaches a message: without this, such a message would be
        // known to nobody until the next restart. So a listener gets the whole index once the scan is over;
        // what it already knew it must ignore (QueueListener allows repeats).
        spool.recovered().whenComplete((stats, failure) -> {
            try {
                replays.execute(() -> spool.forEach(entry -> {
                    if (listeners.contains(listener)) {
                        tell(listener, entry);
                    }
                }));
            } catch (RejectedExecutionException stopped) {
                // deactivated meanwhile: nobody to tell
            }
        });
    }

    void removeListener(ComponentServiceObjects<QueueListener> objects) {
        for (QueueListener l : listeners) {
            if (l instanceof LazyListener lazy && lazy.isFor(objects)) {
                listeners.remove(lazy);
                lazy.release();
            }
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        replays.shutdownNow();
        spool.close();
        replays.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Override
    public MessageWriter open(Envelope envelope) throws QueueException {
        return spool.open(envelope);
    }

    @Override
    public Optional<QueuedMessage> get(QueueId id) throws QueueException {
        return spool.get(id);
    }

    @Override
    public MessageContent content(QueueId id) throws QueueException {
        return spool.content(id);
    }

    @Override
    public void update(QueueId id, List<RecipientUpdate> updates) throws QueueException {
        spool.update(id, updates);
    }

    @Override
    public void setHeld(QueueId id, boolean held) throws QueueException {
        spool.setHeld(id, held);
    }

    @Override
    public void remove(QueueId id) throws QueueException {
        spool.remove(id);
    }

    @Override
    public void forEach(Consumer<QueueEntry> action) {
        spool.forEach(action);
    }

    @Override
    public Set<String> heldDestinations() throws QueueException {
        return spool.heldDestinations();
    }

    @Override
    public boolean storeHeldDestinations(Set<String> destinations) throws QueueException {
        return spool.storeHeldDestinations(destinations);
    }

    @Override
    public long size() {
        return spool.size();
    }
}
