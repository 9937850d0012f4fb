package dev.sluice.smtp.server;

import java.io.IOException;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Thin MINA adapter: turns I/O events (serialized per session, on the I/O thread or a worker) into
 * {@link SmtpSession} calls, and tells the serializer which events may stay on the I/O thread.
 */
final class SmtpIoHandler extends IoHandlerAdapter implements SessionSerializer.Policy {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpIoHandler.class);
    private static final AttributeKey SESSION = new AttributeKey(SmtpIoHandler.class, "session");
    /** Log lines written while a session's command is handled carry its id (listener-sessionId). */
    private static final String MDC_KEY = "smtp.session";

    private final ListenerContext ctx;

    SmtpIoHandler(ListenerContext ctx) {
        this.ctx = ctx;
    }

    /**
     * The greeting, commands that cannot block, and a close with no message being received run where they arrive;
     * with protocol tracing on (a log line per command) nothing does.
     */
    @Override
    public boolean inline(IoSession io, Object message) {
        if (ctx.settings().protocolTrace()) {
            return false;
        }
        SmtpSession session = (SmtpSession) io.getAttribute(SESSION);
        if (message == null) {
            return session == null; // sessionOpened
        }
        if (message == SessionSerializer.CLOSED) {
            return session == null || session.canCloseInline();
        }
        return message instanceof IoBuffer && session != null && session.canReadInline();
    }

    @Override
    public void sessionOpened(IoSession io) {
        SmtpSession session = new SmtpSession(ctx,
                new MinaConnection(io, ctx.settings().tls(), ctx.settings().tlsProtocols()));
        io.setAttribute(SESSION, session);
        session.start();
    }

    @Override
    public void messageReceived(IoSession io, Object message) {
        SmtpSession session = (SmtpSession) io.getAttribute(SESSION);
        MDC.put(MDC_KEY, ctx.settings().name() + "-" + io.getId());
        try {
            if (message instanceof IoBuffer buffer) {
                ReadThrottle.consumed(io, session.feed(buffer.buf()));
            } else if (message instanceof MinaConnection.Continuation c) {
                c.task().run();
            } else if (message == TlsFilter.ESTABLISHED) {
                session.onTlsEstablished();
            }
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    @Override
    public void sessionIdle(IoSession io, IdleStatus status) {
        SmtpSession session = (SmtpSession) io.getAttribute(SESSION);
        if (session != null) {
            session.onIdle();
        }
    }

    @Override
    public void sessionClosed(IoSession io) {
        SmtpSession session = (SmtpSession) io.getAttribute(SESSION);
        if (session != null) {
            session.onClosed();
        }
    }

    @Override
    public void exceptionCaught(IoSession io, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("Connection {} failed: {}", io.getRemoteAddress(), cause.toString());
        } else {
            LOG.warn("Session {} failed; closing it", io.getRemoteAddress(), cause);
            io.write(MinaConnection.encode(dev.sluice.api.mail.Reply.of(421, "4.3.0", "Internal error, closing")));
            io.closeOnFlush();
            return;
        }
        io.closeNow();
    }
}
