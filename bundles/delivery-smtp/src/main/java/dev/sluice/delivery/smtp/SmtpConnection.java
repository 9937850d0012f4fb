package dev.sluice.delivery.smtp;

import dev.sluice.api.mail.Reply;
import dev.sluice.api.ratelimit.ConnectionPermit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.future.WriteFuture;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP session. Replies are matched to commands in order (which is what makes pipelining free); each
 * expected reply has its own timeout. Any protocol or I/O trouble fails every pending reply with one
 * {@link SmtpFailure} and closes the session; the permit is released when the socket is closed (or was never
 * made), not before: until then the receiver still counts the connection.
 */
final class SmtpConnection {
    static final AttributeKey KEY = new AttributeKey(SmtpConnection.class, "connection");
    private static final Logger LOG = LoggerFactory.getLogger(SmtpConnection.class);

    final ClientRuntime rt;
    final PoolKey key;
    final String remoteHost;
    final String where;
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    /** Completes with the first failure, for waiters that are not replies (connecting, handshaking). */
    final CompletableFuture<SmtpFailure> failed = new CompletableFuture<>();
    private final ConnectionPermit permit;
    private final ReplyReader reader;
    private final Deque<Pending> pending = new ArrayDeque<>();
    /** Writes not yet flushed: MINA does not complete their futures when a session is closed under them. */
    private final List<Write> writes = new ArrayList<>();
    private volatile IoSession session;
    private SmtpFailure failure;
    volatile Capabilities caps = Capabilities.NONE;
    volatile String tlsProtocol;
    volatile TlsUpgrade tls;
    int messages;
    /** Taken from the pool: the next transaction starts with RSET in its pipeline. */
    volatile boolean resetFirst;

    /**
     * A reply or a flush we wait for, until {@code deadline} (System.nanoTime()). Deadlines are checked by the
     * runtime's sweep a few times a second: a timer per command cost a lock, often a timer-thread wake-up and a
     * cancellation for every command of every message.
     */
    private record Pending(CompletableFuture<Reply> future, String what, long deadline, Duration timeout) {
    }

    private record Write(CompletableFuture<Void> done, long deadline, Duration timeout) {
    }

    SmtpConnection(ClientRuntime rt, PoolKey key, ConnectionPermit permit) {
        this.rt = rt;
        this.key = key;
        this.permit = permit;
        this.remoteHost = key.hop().host() + "[" + key.hop().address().getHostAddress() + "]";
        this.where = key.hop().toString();
        this.reader = new ReplyReader(rt.settings.maxLineLength(), rt.settings.maxReplyLines());
        rt.live.add(this);
    }

    void attach(IoSession s) {
        this.session = s;
        s.setAttribute(KEY, this);
        synchronized (this) {
            if (failure != null) {
                s.closeNow();
            }
        }
    }

    IoSession session() {
        return session;
    }

    boolean isOpen() {
        IoSession s = session;
        synchronized (this) {
            return failure == null && s != null && s.isConnected() && !s.isClosing();
        }
    }

    /** Waits for a reply without sending anything (the greeting). */
    CompletableFuture<Reply> expect(Duration timeout, String what) {
        return register(what, timeout);
    }

    CompletableFuture<Reply> command(String line, Duration timeout) {
        return pipeline(List.of(line), List.of(timeout)).get(0);
    }

    /** Sends the lines in one write and returns their replies' futures in order. */
    List<CompletableFuture<Reply>> pipeline(List<String> lines, List<Duration> timeouts) {
        List<CompletableFuture<Reply>> replies = new ArrayList<>(lines.size());
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            replies.add(register(describe(line), timeouts.get(i)));
            out.append(line).append("\r\n");
        }
        writeCommand(out.toString().getBytes(StandardCharsets.UTF_8));
        return replies;
    }

    /** Writes bytes that form one command (the final dot, perhaps after the last content) and expects its reply. */
    CompletableFuture<Reply> send(byte[] bytes, Duration timeout, String what) {
        CompletableFuture<Reply> reply = register(what, timeout);
        writeCommand(bytes);
        return reply;
    }

    /** Content written without waiting for its flush (a failed write fails the session). */
    void writeAhead(byte[] bytes) {
        writeCommand(bytes);
    }

    /** Bytes written but not yet on the socket. */
    long unflushedBytes() {
        IoSession s = session;
        return s == null ? 0 : s.getScheduledWriteBytes();
    }

    /**
     * Writes a command nobody waits on except through its reply, whose deadline also covers a write that never
     * leaves: so no future, no timer and no hand-off to a worker when MINA has flushed it.
     */
    private void writeCommand(byte[] bytes) {
        IoSession s = session;
        if (s == null || !isOpen()) {
            fail(currentFailure());
            return;
        }
        WriteFuture written = s.write(IoBuffer.wrap(bytes));
        written.addListener(wf -> {
            if (!written.isWritten()) {
                fail(SmtpFailure.local(451, "4.4.2", "connection to " + where + " lost while writing", remoteHost));
            }
        });
    }

    /** Writes raw bytes; completes when MINA has flushed them to the socket (the backpressure point). */
    CompletableFuture<Void> write(byte[] bytes, Duration timeout) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        IoSession s = session;
        if (s == null || !isOpen()) {
            fail(currentFailure());
            done.completeExceptionally(currentFailure());
            return done;
        }
        Write w = new Write(done, System.nanoTime() + timeout.toNanos(), timeout);
        synchronized (this) {
            writes.add(w);
        }
        WriteFuture written = s.write(IoBuffer.wrap(bytes));
        written.addListener(wf -> {
            synchronized (this) {
                writes.remove(w);
            }
            if (written.isWritten()) {
                rt.execute(() -> done.complete(null));
            } else {
                fail(SmtpFailure.local(451, "4.4.2", "connection to " + where + " lost while writing", remoteHost));
                rt.execute(() -> done.completeExceptionally(currentFailure()));
            }
        });
        return done;
    }

    /** Called by the runtime's sweep: fails the session when a reply or a flush is overdue. */
    void checkDeadlines(long now) {
        SmtpFailure overdue = null;
        synchronized (this) {
            if (failure != null) {
                return;
            }
            for (Pending p : pending) {
                if (now - p.deadline >= 0) {
                    overdue = SmtpFailure.local(451, "4.4.2", "timeout after " + p.timeout.toSeconds()
                            + "s waiting for the reply to " + p.what + " from " + where, remoteHost);
                    break;
                }
            }
            for (Write w : writes) {
                if (overdue == null && now - w.deadline >= 0) {
                    overdue = SmtpFailure.local(451, "4.4.2", "timeout after " + w.timeout.toSeconds()
                            + "s writing to " + where, remoteHost);
                }
            }
        }
        if (overdue != null) {
            fail(overdue);
        }
    }

    /** Bytes from the I/O processor. */
    void received(IoBuffer buf) {
        synchronized (this) {
            if (failure != null) {
                return;
            }
        }
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        List<Runnable> completions = new ArrayList<>(4);
        try {
            reader.feed(bytes, 0, bytes.length, reply -> dispatch(reply, completions));
        } catch (ReplyReader.MalformedReplyException e) {
            fail(SmtpFailure.local(451, "4.5.0", "protocol error from " + where + ": " + e.getMessage(),
                    remoteHost));
        }
        // Replies that arrived together (a pipelined group) go to a worker together, in order: one hand-off.
        if (completions.size() == 1) {
            rt.execute(completions.get(0));
        } else if (!completions.isEmpty()) {
            rt.execute(() -> completions.forEach(Runnable::run));
        }
    }

    private void dispatch(Reply reply, List<Runnable> completions) {
        try {
            rt.shaper.onReply(key.path(), reply);
        } catch (RuntimeException e) {
            LOG.warn("traffic shaper failed on a reply from {}", where, e);
        }
        Pending p;
        synchronized (this) {
            p = pending.poll();
        }
        if (p == null) {
            fail(reply.code() == 421 ? SmtpFailure.remote(reply, remoteHost)
                    : SmtpFailure.local(451, "4.5.0", "unexpected reply from " + where + ": " + reply, remoteHost));
            return;
        }
        completions.add(() -> p.future.complete(reply));
    }

    /** After a STARTTLS 220: clear text buffered beyond it must not be read as a reply (RFC 3207 §4.2). */
    boolean discardClearText() {
        return !reader.hasPartialInput();
    }

    void fail(SmtpFailure f) {
        List<Pending> waiting;
        List<Write> unflushed;
        synchronized (this) {
            if (failure == null) {
                failure = f;
            }
            waiting = new ArrayList<>(pending);
            pending.clear();
            unflushed = new ArrayList<>(writes);
            writes.clear();
        }
        // The slot stays taken until the socket is closed (sessionClosed) or the connect has failed (released).
        SmtpFailure cause = currentFailure();
        rt.execute(() -> failed.complete(cause));
        for (Pending p : waiting) {
            rt.execute(() -> p.future.completeExceptionally(cause));
        }
        for (Write w : unflushed) {
            rt.execute(() -> w.done.completeExceptionally(cause));
        }
        TlsUpgrade t = tls;
        if (t != null) {
            t.failed(cause);
        }
        IoSession s = session;
        if (s != null) {
            s.closeNow();
        }
    }

    /** The session is gone, whatever the reason: fail what waits and free the slot. */
    void sessionClosed() {
        fail(SmtpFailure.local(451, "4.4.2", "connection closed by " + where, remoteHost));
        released();
        rt.pool.forget(this);
        closed.complete(null);
    }

    /**
     * The socket is closed, or none was ever made (the connect failed): only now is the connection's slot free for
     * another one. Called once the session can no longer exist; releasing twice is harmless.
     */
    void released() {
        rt.live.remove(this);
        permit.close();
    }

    /** True when another node waits for this idle connection's slot (see {@link ConnectionPermit#wanted()}). */
    boolean wanted() {
        try {
            return permit.wanted();
        } catch (RuntimeException e) {
            LOG.warn("traffic shaper failed to say whether {} is wanted elsewhere", key.path(), e);
            return false;
        }
    }

    /** Ends a healthy session politely; the QUIT reply is not needed for anything. */
    void quit() {
        if (isOpen()) {
            command("QUIT", rt.settings.commandTimeout()).whenComplete((r, e) -> close());
        } else {
            close();
        }
    }

    void close() {
        IoSession s = session;
        if (s != null) {
            s.closeNow();
        } else {
            fail(SmtpFailure.local(451, "4.4.2", "connection to " + where + " abandoned", remoteHost));
        }
    }

    synchronized SmtpFailure currentFailure() {
        return failure != null ? failure
                : SmtpFailure.local(451, "4.4.2", "connection to " + where + " is closed", remoteHost);
    }

    /** Names a command for messages without ever showing AUTH data. */
    private static String describe(String line) {
        for (String verb : List.of("MAIL FROM", "RCPT TO", "DATA", "EHLO", "HELO", "STARTTLS", "RSET", "QUIT")) {
            if (line.regionMatches(true, 0, verb, 0, verb.length())) {
                return verb;
            }
        }
        return "AUTH";
    }

    private CompletableFuture<Reply> register(String what, Duration timeout) {
        CompletableFuture<Reply> future = new CompletableFuture<>();
        synchronized (this) {
            if (failure != null) {
                future.completeExceptionally(failure);
                return future;
            }
            pending.add(new Pending(future, what, System.nanoTime() + timeout.toNanos(), timeout));
        }
        return future;
    }
}
