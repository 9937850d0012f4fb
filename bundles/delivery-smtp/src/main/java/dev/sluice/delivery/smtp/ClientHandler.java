package dev.sluice.delivery.smtp;

import java.io.IOException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.FilterEvent;
import org.apache.mina.filter.ssl.SslEvent;
import org.apache.mina.filter.ssl.SslFilter;

/** Routes MINA events to the {@link SmtpConnection} attached to the session. */
final class ClientHandler extends IoHandlerAdapter {

    @Override
    public void messageReceived(IoSession session, Object message) {
        SmtpConnection c = connection(session);
        if (c != null && message instanceof IoBuffer buf) {
            c.received(buf);
        }
    }

    @Override
    public void sessionClosed(IoSession session) {
        SmtpConnection c = connection(session);
        if (c != null) {
            c.sessionClosed();
        }
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        SmtpConnection c = connection(session);
        if (c == null) {
            session.closeNow();
            return;
        }
        Throwable t = cause;
        while (t.getCause() != null && !(t instanceof SSLException)) {
            t = t.getCause();
        }
        String text = String.valueOf(t.getMessage()).replace('\r', ' ').replace('\n', ' ');
        if (t instanceof SSLException) {
            c.fail(SmtpFailure.local(451, "4.7.5", "TLS failure with " + c.where + ": " + text, c.remoteHost));
        } else if (t instanceof IOException) {
            c.fail(SmtpFailure.local(451, "4.4.2", "connection to " + c.where + " failed: " + text, c.remoteHost));
        } else {
            c.fail(SmtpFailure.local(451, "4.3.0", "local error with " + c.where + ": " + t, c.remoteHost));
        }
    }

    @Override
    public void event(IoSession session, FilterEvent event) {
        SmtpConnection c = connection(session);
        TlsUpgrade tls = c == null ? null : c.tls;
        if (tls != null && event == SslEvent.SECURED
                && session.getAttribute(SslFilter.SSL_SECURED) instanceof SSLSession ssl) {
            tls.secured(ssl);
        }
    }

    private static SmtpConnection connection(IoSession session) {
        return (SmtpConnection) session.getAttribute(SmtpConnection.KEY);
    }
}
