package dev.sluice.smtp.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mina.core.future.CloseFuture;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MINA side of one listener: acceptor, filter chain [tls] → throttle → serializer → handler, and an orderly
 * shutdown. The {@link SessionSerializer} keeps each session's events in order, runs the commands that cannot block
 * on the I/O thread, and everything that may block (queue writes, commits, AUTH, STARTTLS) on the worker pool.
 */
final class SmtpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpServer.class);
    private static final int SHUTDOWN_GRACE_SECONDS = 10;
    /** The chain entry that serializes a session's events (I/O thread or worker); continuations enter there too. */
    static final String EXECUTOR = "executor";

    private final ListenerSettings settings;
    private final NioSocketAcceptor acceptor;
    private final ThreadPoolExecutor workers;
    private final InetSocketAddress bound;

    SmtpServer(ListenerContext ctx) {
        this.settings = ctx.settings();
        workers = new ThreadPoolExecutor(settings.workerThreads(), settings.workerThreads(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads("sluice-smtp-" + settings.name() + "-worker-"));
        workers.allowCoreThreadTimeOut(true);
        SmtpIoHandler handler = new SmtpIoHandler(ctx);
        acceptor = new NioSocketAcceptor(settings.ioThreads());
        try {
            acceptor.setReuseAddress(true);
            acceptor.setCloseOnDeactivation(false); // close() says 421 first
            acceptor.setBacklog(1024);
            acceptor.getSessionConfig().setTcpNoDelay(true);
            if (settings.tlsMode().equals("implicit")) {
                acceptor.getFilterChain().addLast(MinaConnection.TLS_FILTER,
                        new TlsFilter(settings.tls(), settings.tlsProtocols()));
            }
            acceptor.getFilterChain().addLast("throttle", new ReadThrottle());
            // MESSAGE_SENT is not serialized: the handler ignores it.
            acceptor.getFilterChain().addLast(EXECUTOR, new SessionSerializer(workers, handler));
            acceptor.setHandler(handler);
            acceptor.bind(settings.bind());
            bound = acceptor.getLocalAddress();
        } catch (IOException | RuntimeException e) {
            acceptor.dispose(true);
            workers.shutdownNow();
            String message = "SMTP listener " + settings.name() + " cannot bind "
                    + settings.bind().getAddress().getHostAddress() + ":" + settings.bind().getPort() + ": " + e;
            LOG.error(message);
            throw new IllegalStateException(message, e);
        }
        LOG.info("SMTP listener {} bound to {}:{}", settings.name(), bound.getAddress().getHostAddress(),
                bound.getPort());
    }

    InetSocketAddress address() {
        return bound;
    }

    /** The open sessions (tests check what each one holds in memory). */
    java.util.Collection<IoSession> sessions() {
        return acceptor.getManagedSessions().values();
    }

    /** Stops accepting, tells every client 421, and stops the workers once their sessions have closed. */
    @Override
    public void close() {
        acceptor.unbind();
        List<CloseFuture> closing = new ArrayList<>();
        for (IoSession session : acceptor.getManagedSessions().values()) {
            session.write(MinaConnection.encode(Replies.SHUTDOWN));
            closing.add(session.closeOnFlush());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SHUTDOWN_GRACE_SECONDS);
        for (CloseFuture future : closing) {
            future.awaitUninterruptibly(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        acceptor.dispose(true);
        workers.shutdown();
        try {
            if (!workers.awaitTermination(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS)) {
                workers.shutdownNow(); // interrupts commits still waiting: their writers are aborted
                workers.awaitTermination(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        LOG.info("SMTP listener {} on port {} stopped", settings.name(), bound.getPort());
    }

    static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory base = Executors.defaultThreadFactory();
        return r -> {
            Thread t = base.newThread(r);
            t.setName(prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
