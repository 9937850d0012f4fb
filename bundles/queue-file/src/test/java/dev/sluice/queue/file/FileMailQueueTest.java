package dev.sluice.queue.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.QueueId;
import dev.sluice.api.queue.QueueEntry;
import dev.sluice.api.queue.QueueListener;
import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileMailQueueTest {

    @TempDir
    Path dir;

    record TestConfig(String spoolDirectory, int minFreeSpacePercent, int minFreeInodesPercent,
                      int diskCheckIntervalSeconds, int syncThreads, int maxBatchMessages, int recoveryThreads)
            implements FileMailQueue.Config {

        TestConfig(String spoolDirectory) {
            this(spoolDirectory, 0, 0, 60, 4, 512, 1);
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return FileMailQueue.Config.class;
        }
    }

    @Test
    void relativeSpoolDirectoriesResolveAgainstSluiceHome() {
        assertEquals(Path.of("/opt/sluice/spool"), FileMailQueue.resolve("spool", "/opt/sluice"));
        assertEquals(Path.of("/var/spool/sluice"), FileMailQueue.resolve("/var/spool/sluice", "/opt/sluice"));
        assertEquals(Path.of("spool").toAbsolutePath(), FileMailQueue.resolve("spool", null));
        assertThrows(IllegalArgumentException.class, () -> FileMailQueue.resolve(" ", null));
    }

    @Test
    void badConfigurationNamesTheKey() {
        var e = assertThrows(IllegalArgumentException.class, () -> new FileMailQueue(null,
                new TestConfig(dir.toString(), 150, 10, 10, 4, 512, 1)));
        assertTrue(e.getMessage().startsWith("minFreeSpacePercent"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new FileMailQueue(null,
                new TestConfig(dir.toString(), 10, 10, 0, 4, 512, 1)));
        assertTrue(e.getMessage().startsWith("diskCheckIntervalSeconds"), e.getMessage());
    }

    @Test
    void aListenerBoundAfterTheStartupScanBeganStillLearnsEveryRecoveredMessage() throws Exception {
        String spool = dir.resolve("spool").toString();
        FileMailQueue first = new FileMailQueue(null, new TestConfig(spool));
        Set<QueueId> written = new java.util.HashSet<>();
        for (int i = 0; i < 50; i++) {
            written.add(Fixtures.write(first, Fixtures.envelope("r" + i + "@one.example")));
        }
        first.deactivate();

        // as in the framework: the scan starts in the constructor, SCR binds the scheduler's listener later
        FileMailQueue queue = new FileMailQueue(null, new TestConfig(spool));
        Set<QueueId> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (queue.size() < written.size() && System.nanoTime() < deadline) {
            Thread.sleep(10); // polling the condition, bounded by the deadline
        }
        queue.addListener(serviceObjects(e -> seen.add(e.id())));
        while (!seen.containsAll(written) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(written, Set.copyOf(seen));
        queue.deactivate();
    }

    private static org.osgi.service.component.ComponentServiceObjects<QueueListener> serviceObjects(
            QueueListener service) {
        return new org.osgi.service.component.ComponentServiceObjects<>() {
            @Override
            public QueueListener getService() {
                return service;
            }

            @Override
            public void ungetService(QueueListener s) {
            }

            @Override
            public org.osgi.framework.ServiceReference<QueueListener> getServiceReference() {
                return null;
            }
        };
    }

    @Test
    void announcesToEveryListenerEvenWhenOneThrowsAndStopsItsThreads() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        FileMailQueue queue = new FileMailQueue(null, new TestConfig(dir.resolve("spool").toString()));
        List<QueueEntry> seen = new CopyOnWriteArrayList<>();
        queue.listeners.add(e -> {
            throw new IllegalStateException("a broken listener");
        });
        queue.listeners.add(seen::add);
        QueueId id = Fixtures.write(queue, Fixtures.envelope("a@one.example"));
        assertEquals(List.of(id), seen.stream().map(QueueEntry::id).toList());
        assertEquals(1, queue.size());
        Fixtures.assertIntact(queue, id);
        queue.deactivate();

        // an executor counts as terminated just before its last thread has exited: join with a deadline
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(t) && t.getName().startsWith("sluice-queue-file")) {
                t.join(5000);
            }
        }
        Set<String> leftovers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive() && t.getName().startsWith("sluice-queue-file"))
                .map(Thread::getName).collect(Collectors.toSet());
        assertEquals(Set.of(), leftovers);
    }
}
