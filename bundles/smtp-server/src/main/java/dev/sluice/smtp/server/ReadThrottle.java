package dev.sluice.smtp.server;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.service.IoProcessor;
import org.apache.mina.core.session.AbstractIoSession;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteRequest;

/**
 * Bounds what one session can make us hold: bytes queued for its worker (when the disk is slower than the
 * network) and replies queued for a client that pipelines but never reads. Past either limit, reading from the
 * socket is suspended until the worker or the client catches up.
 */
final class ReadThrottle extends IoFilterAdapter {

    static final long MAX_PENDING_BYTES = 128 * 1024;
    static final long MAX_UNSENT_REPLY_BYTES = 64 * 1024;
    private static final AttributeKey PENDING = new AttributeKey(ReadThrottle.class, "pending");

    @Override
    public void sessionCreated(NextFilter next, IoSession session) {
        session.setAttribute(PENDING, new AtomicLong());
        next.sessionCreated(session);
    }

    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) {
        if (message instanceof IoBuffer buffer) {
            AtomicLong pending = pending(session);
            // Locked with consumed() so that a suspend can never slip in after the worker's last resume.
            synchronized (pending) {
                pending.addAndGet(buffer.remaining());
                if (overLimit(session, pending)) {
                    session.suspendRead();
                }
            }
        }
        next.messageReceived(session, message);
    }

    @Override
    public void messageSent(NextFilter next, IoSession session, WriteRequest request) {
        resumeIfBelow(session, 0);
        next.messageSent(session, request);
    }

    /** Called by the worker once it has consumed {@code bytes}. */
    static void consumed(IoSession session, long bytes) {
        resumeIfBelow(session, bytes);
    }

    private static void resumeIfBelow(IoSession session, long consumed) {
        AtomicLong pending = pending(session);
        if (pending == null) {
            return;
        }
        synchronized (pending) {
            pending.addAndGet(-consumed);
            if (session.isReadSuspended() && !overLimit(session, pending)) {
                session.resumeRead();
                wakeUp(session);
            }
        }
    }

    private static boolean overLimit(IoSession session, AtomicLong pending) {
        return pending.get() > MAX_PENDING_BYTES || session.getScheduledWriteBytes() > MAX_UNSENT_REPLY_BYTES;
    }

    /**
     * MINA's resumeRead changes the selection key from this (worker) thread without waking the selector, so the
     * read would only resume at the processor's next 1 s select timeout. A flush request wakes it up and is a
     * no-op when nothing is queued.
     */
    @SuppressWarnings("unchecked")
    private static void wakeUp(IoSession session) {
        if (session instanceof AbstractIoSession s) {
            ((IoProcessor<IoSession>) s.getProcessor()).flush(session);
        }
    }

    private static AtomicLong pending(IoSession session) {
        return (AtomicLong) session.getAttribute(PENDING);
    }
}
