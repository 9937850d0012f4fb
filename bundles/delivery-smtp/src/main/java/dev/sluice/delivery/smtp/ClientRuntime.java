package dev.sluice.delivery.smtp;

import dev.sluice.api.ratelimit.TrafficShaper;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mina.core.service.SimpleIoProcessorPool;
import org.apache.mina.transport.socket.nio.NioProcessor;
import org.apache.mina.transport.socket.nio.NioSession;
import org.apache.mina.transport.socket.nio.NioSocketConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything with a thread: the MINA connector (one connector thread plus {@code ioThreads} processors), the
 * worker pool and the timer. Thread count is bounded whatever the number of sessions.
 */
final class ClientRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClientRuntime.class);
    /** How late a timeout may fire at most; timeouts are seconds to minutes. */
    private static final long SWEEP_MILLIS = 200;
    final Settings settings;
    final TrafficShaper shaper;
    final ConnectionPool pool;
    final TlsUpgrade.Contexts tls;
    /** Sessions whose socket is not closed yet (they hold a slot), so that stopping can end them at once. */
    final Set<SmtpConnection> live = ConcurrentHashMap.newKeySet();
    final NioSocketConnector connector;
    private final ExecutorService ioExecutor;
    private final ExecutorService connectExecutor;
    private final SimpleIoProcessorPool<NioSession> processors;
    private final ExecutorService workers;
    private final ScheduledThreadPoolExecutor timer;
    private volatile boolean closed;

    ClientRuntime(Settings settings, TrafficShaper shaper, TlsUpgrade.Contexts tls) {
        this.settings = settings;
        this.shaper = shaper;
        this.tls = tls;
        this.ioExecutor = Executors.newFixedThreadPool(settings.ioThreads(), named("io"));
        this.connectExecutor = Executors.newSingleThreadExecutor(named("connect"));
        this.workers = Executors.newFixedThreadPool(settings.workerThreads(), named("worker"));
        this.timer = new ScheduledThreadPoolExecutor(1, named("timer"));
        // Most timers (reply timeouts) are cancelled; do not let them pile up in the queue.
        timer.setRemoveOnCancelPolicy(true);
        this.processors = new SimpleIoProcessorPool<>(NioProcessor.class, ioExecutor, settings.ioThreads(), null);
        this.connector = new NioSocketConnector(connectExecutor, processors);
        connector.setConnectTimeoutMillis(settings.connectTimeout().toMillis());
        connector.getSessionConfig().setTcpNoDelay(true);
        connector.setHandler(new ClientHandler());
        this.pool = new ConnectionPool(this);
        timer.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Reply, flush and idle deadlines: checked here rather than by a timer per command. */
    private void sweep() {
        try {
            long now = System.nanoTime();
            for (SmtpConnection c : live) {
                c.checkDeadlines(now);
            }
            pool.expireIdle(now);
        } catch (RuntimeException e) {
            LOG.warn("deadline sweep failed", e);
        }
    }

    /** Runs on a worker; after close the task runs on the caller so that deliveries still complete. */
    void execute(Runnable task) {
        try {
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    /** A timer task; null when the runtime is closed (the caller's own failure path then applies). */
    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        try {
            return timer.schedule(() -> execute(task), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        pool.closeAll();
        // Failing every session completes its pending replies, so in-flight deliveries end DEFERRED and free
        // their permits before the I/O threads are gone.
        SmtpFailure stopping = SmtpFailure.local(451, "4.3.2", "SMTP delivery is stopping", null);
        List.copyOf(live).forEach(c -> c.fail(stopping));
        connector.dispose(true);
        processors.dispose();
        // Sessions closed by disposal have released their slots; any whose close event got lost do so here.
        List.copyOf(live).forEach(SmtpConnection::released);
        timer.shutdownNow();
        workers.shutdown();
        ioExecutor.shutdownNow();
        connectExecutor.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
            ioExecutor.awaitTermination(5, TimeUnit.SECONDS);
            connectExecutor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
    }

    private static ThreadFactory named(String role) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "sluice-delivery-smtp-" + role + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
