package dev.sluice.routing.dns;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.NioClient;
import org.xbill.DNS.Resolver;

/**
 * What the router must stop: the resolver's I/O (dnsjava's shared NIO selector thread) and the two
 * threads on which dnsjava completes answers. Without {@link NioClient#close()} the JVM never exits
 * after the framework stops (dnsjava's shutdown hook waits for a thread whose bundle is gone).
 */
final class RouterRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouterRuntime.class);
    static final int THREADS = 2;

    private final Resolver resolver;
    private final ThreadPoolExecutor executor;

    RouterRuntime(String[] servers, Duration timeout, int retries) {
        this.resolver = Resolvers.create(servers, timeout, retries);
        AtomicInteger count = new AtomicInteger();
        // Only DNS answers are processed here (cheap), so two threads and an unbounded queue are enough.
        this.executor = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "sluice-routing-dns-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    Resolver resolver() {
        return resolver;
    }

    ExecutorService executor() {
        return executor;
    }

    String describe() {
        return Resolvers.describe(resolver);
    }

    @Override
    public void close() {
        NioClient.close();
        releaseSelectorThread();
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("DNS routing threads did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * dnsjava 3.6.4 ends its selector thread with {@code NioClient.runClose()}, which joins the current
     * thread, i.e. waits for itself forever: every close would leak one thread (and pin dnsjava's class
     * loader). Interrupting it ends that join. Only a thread already inside runClose() is touched, so a
     * selector that someone restarted in the meantime keeps running.
     */
    private static void releaseSelectorThread() {
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            Thread t = e.getKey();
            boolean closing = Arrays.stream(e.getValue()).anyMatch(f ->
                    f.getClassName().equals(NioClient.class.getName()) && f.getMethodName().equals("runClose"));
            if (closing && t.getName().startsWith("dnsjava NIO selector") && t != Thread.currentThread()) {
                t.interrupt();
                try {
                    t.join(2000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
