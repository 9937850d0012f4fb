package dev.sluice.filter.suppression;

import dev.sluice.api.config.ConfigCheck;
import dev.sluice.api.mail.MailAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The suppression list: the administrator's list file (reloaded when it changes) and the managed entries (added
 * by bounces, the shell or an import; kept in a journal). A lookup is a few probes of in-memory hash tables,
 * whatever the size of the list.
 */
@Component(service = SuppressionStore.class, configurationPid = SuppressionStore.PID)
@Designate(ocd = SuppressionConfig.class)
public final class SuppressionStore {

    static final String PID = "dev.sluice.filter.suppression";
    private static final Logger LOG = LoggerFactory.getLogger(SuppressionStore.class);

    private final Path listFile;
    private final Journal journal;
    private final ScheduledExecutorService worker;
    /** Entries added per hold of the write lock. */
    private static final int ADD_CHUNK = 1024;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    /** Guarded by {@link #lock}. */
    private final LongHashSet managed = new LongHashSet(1024);
    /** Replaced whole on reload, never changed after publication. */
    private volatile ListFile.Loaded listed = ListFile.Loaded.NONE;

    @Activate
    public SuppressionStore(SuppressionConfig config, BundleContext context) throws IOException {
        this(config, Path.of(String.valueOf(context.getProperty("sluice.home") == null ? "."
                : context.getProperty("sluice.home"))));
    }

    SuppressionStore(SuppressionConfig config, Path home) throws IOException {
        ConfigCheck.between("reloadSeconds", config.reloadSeconds(), 1, 3600);
        listFile = home.resolve(config.listFile());
        journal = new Journal(home.resolve(config.dataDirectory()).resolve("journal.log"));
        journal.replay(line -> {
            long key = Entry.parse(line.entry()).key();
            if (line.added()) {
                managed.add(key);
            } else {
                managed.remove(key);
            }
        }, problem -> LOG.warn("Suppression journal: {}", problem));
        listed = ListFile.load(listFile, ListFile.Loaded.NONE);
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-suppression");
            t.setDaemon(true);
            return t;
        });
        worker.scheduleWithFixedDelay(this::reloadIfChanged, config.reloadSeconds(), config.reloadSeconds(),
                TimeUnit.SECONDS);
        LOG.info("Suppression list: {} entries from {}, {} managed entries", listed.keys().size(), listFile,
                managedCount());
    }

    /** Writes what is still queued for the journal, then stops the reload checks. */
    @Deactivate
    void close() throws IOException {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
        journal.close();
    }

    /** Why the address is suppressed ("address", "domain example.com"), or empty. */
    Optional<String> match(MailAddress address) {
        if (contains(Entry.of(address).key())) {
            return Optional.of("address");
        }
        String domain = address.asciiDomain();
        while (true) {
            if (contains(Entry.ofDomain(domain).key())) {
                return Optional.of("domain " + domain);
            }
            int dot = domain.indexOf('.');
            if (dot < 0) {
                return Optional.empty();
            }
            domain = domain.substring(dot + 1);
        }
    }

    /**
     * Adds managed entries, on disk before this returns; answers how many were new. The write lock is taken per
     * chunk, so that a large import never keeps the filter's lookups (on the SMTP I/O thread) waiting for long.
     */
    int add(List<Entry> entries, String reason) throws IOException {
        List<Journal.Line> fresh = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int from = 0; from < entries.size(); from += ADD_CHUNK) {
            lock.writeLock().lock();
            try {
                for (Entry e : entries.subList(from, Math.min(entries.size(), from + ADD_CHUNK))) {
                    if (!listed.keys().contains(e.key()) && managed.add(e.key())) {
                        fresh.add(new Journal.Line(true, e.text(), now, reason));
                    }
                }
            } finally {
                lock.writeLock().unlock();
            }
        }
        if (!fresh.isEmpty()) {
            journal.append(fresh);
        }
        return fresh.size();
    }

    /**
     * Adds an entry at once in memory and in the journal soon after, off the caller's thread (delivery events
     * arrive on scheduler threads that must not wait for a disk).
     */
    void addSoon(Entry entry, String reason) {
        lock.writeLock().lock();
        try {
            if (listed.keys().contains(entry.key()) || !managed.add(entry.key())) {
                return;
            }
        } finally {
            lock.writeLock().unlock();
        }
        LOG.info("Suppressed {} ({})", entry, reason);
        Journal.Line line = new Journal.Line(true, entry.text(), System.currentTimeMillis(), reason);
        try {
            worker.execute(() -> {
                try {
                    journal.append(List.of(line));
                } catch (IOException e) {
                    LOG.warn("Could not write {} to the suppression journal; it holds until restart only", entry, e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("Suppression list stopping: {} holds until restart only", entry);
        }
    }

    /** Removes a managed entry; an entry of the list file can only be removed by editing that file. */
    boolean remove(Entry entry) throws IOException {
        if (listed.keys().contains(entry.key())) {
            throw new IllegalArgumentException(entry + " is in " + listFile + ": remove it from that file");
        }
        boolean removed;
        lock.writeLock().lock();
        try {
            removed = managed.remove(entry.key());
        } finally {
            lock.writeLock().unlock();
        }
        if (removed) {
            journal.append(List.of(new Journal.Line(false, entry.text(), System.currentTimeMillis(), "")));
        }
        return removed;
    }

    /** Where an entry is: "list file", "managed" or null. */
    String sourceOf(Entry entry) {
        if (listed.keys().contains(entry.key())) {
            return "list file " + listFile;
        }
        lock.readLock().lock();
        try {
            return managed.contains(entry.key()) ? "managed" : null;
        } finally {
            lock.readLock().unlock();
        }
    }

    int listedCount() {
        return listed.keys().size();
    }

    int managedCount() {
        lock.readLock().lock();
        try {
            return managed.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    Path listFile() {
        return listFile;
    }

    /** Replays the journal for the managed entries that are still live, in the order they were added. */
    void forEachManaged(java.util.function.Consumer<Journal.Line> each) throws IOException {
        LongHashSet seen = new LongHashSet(managedCount());
        journal.replay(line -> {
            long key = Entry.parse(line.entry()).key();
            boolean live;
            lock.readLock().lock();
            try {
                live = managed.contains(key);
            } finally {
                lock.readLock().unlock();
            }
            if (line.added() && live && seen.add(key)) {
                each.accept(line);
            }
        }, problem -> { });
    }

    void reloadIfChanged() {
        try {
            ListFile.Loaded next = ListFile.load(listFile, listed);
            if (next != listed) {
                listed = next;
                LOG.info("Suppression list file {} reloaded: {} entries", listFile, next.keys().size());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Suppression list file {} not reloaded, keeping the previous {} entries: {}", listFile,
                    listed.keys().size(), e.toString());
        }
    }

    private boolean contains(long key) {
        if (listed.keys().contains(key)) {
            return true;
        }
        lock.readLock().lock();
        try {
            return managed.contains(key);
        } finally {
            lock.readLock().unlock();
        }
    }
}
