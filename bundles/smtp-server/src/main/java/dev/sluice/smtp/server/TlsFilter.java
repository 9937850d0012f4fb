package dev.sluice.smtp.server;

import java.util.List;
import javax.net.ssl.SSLContext;
import org.apache.mina.core.filterchain.IoFilter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteRequest;
import org.apache.mina.filter.FilterEvent;
import org.apache.mina.filter.ssl.SslFilter;

/**
 * MINA's SslFilter with two additions: the STARTTLS "220 Ready" can pass in clear after the filter is in place,
 * and the first decrypted data is preceded by an in-band {@link #ESTABLISHED} message, ordered with the data
 * behind the ExecutorFilter. (MINA's SECURED event is not usable for this: it bypasses the executor and its
 * handler may deliver decrypted data before it.) That ordering lets the session drop exactly the plaintext
 * pipelined after STARTTLS.
 */
final class TlsFilter extends SslFilter {

    /** Delivered through messageReceived after the handshake. */
    static final Object ESTABLISHED = new Object() {
        @Override
        public String toString() {
            return "TLS established";
        }
    };
    private static final AttributeKey CLEAR_ONCE = new AttributeKey(TlsFilter.class, "clearOnce");
    private static final AttributeKey ANNOUNCED = new AttributeKey(TlsFilter.class, "announced");

    TlsFilter(SSLContext context, List<String> protocols) {
        super(context);
        setEnabledProtocols(protocols.toArray(new String[0]));
    }

    static void sendNextInClear(IoSession session) {
        session.setAttribute(CLEAR_ONCE, Boolean.TRUE);
    }

    @Override
    public void filterWrite(NextFilter next, IoSession session, WriteRequest request) throws Exception {
        if (session.removeAttribute(CLEAR_ONCE) != null) {
            next.filterWrite(session, request);
        } else {
            super.filterWrite(next, session, request);
        }
    }

    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) throws Exception {
        super.messageReceived(new SecuredAsMessage(next), session, message);
    }

    /** Turns the SECURED event into an in-band message; everything else passes unchanged. */
    private record SecuredAsMessage(NextFilter next) implements IoFilter.NextFilter {
        @Override
        public void event(IoSession session, FilterEvent event) {
            next.event(session, event);
        }

        @Override
        public void sessionCreated(IoSession session) {
            next.sessionCreated(session);
        }

        @Override
        public void sessionOpened(IoSession session) {
            next.sessionOpened(session);
        }

        @Override
        public void sessionClosed(IoSession session) {
            next.sessionClosed(session);
        }

        @Override
        public void sessionIdle(IoSession session, org.apache.mina.core.session.IdleStatus status) {
            next.sessionIdle(session, status);
        }

        @Override
        public void exceptionCaught(IoSession session, Throwable cause) {
            next.exceptionCaught(session, cause);
        }

        @Override
        public void inputClosed(IoSession session) {
            next.inputClosed(session);
        }

        @Override
        public void messageReceived(IoSession session, Object message) {
            if (session.setAttributeIfAbsent(ANNOUNCED, Boolean.TRUE) == null) {
                next.messageReceived(session, ESTABLISHED);
            }
            next.messageReceived(session, message);
        }

        @Override
        public void messageSent(IoSession session, WriteRequest request) {
            next.messageSent(session, request);
        }

        @Override
        public void filterWrite(IoSession session, WriteRequest request) {
            next.filterWrite(session, request);
        }

        @Override
        public void filterClose(IoSession session) {
            next.filterClose(session);
        }
    }
}
