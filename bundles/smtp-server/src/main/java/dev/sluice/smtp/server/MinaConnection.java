package dev.sluice.smtp.server;

import dev.sluice.api.mail.Reply;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.ssl.SslFilter;

/** A session's transport on MINA. Writes are thread-safe in MINA; the rest runs on the session's worker. */
final class MinaConnection implements Connection {

    static final String TLS_FILTER = "tls";

    private final IoSession io;
    private final SSLContext tls;
    private final List<String> protocols;

    MinaConnection(IoSession io, SSLContext tls, List<String> protocols) {
        this.io = io;
        this.tls = tls;
        this.protocols = protocols;
    }

    @Override
    public InetSocketAddress remote() {
        return (InetSocketAddress) io.getRemoteAddress();
    }

    @Override
    public void send(Reply reply) {
        io.write(encode(reply));
    }

    @Override
    public void sendAndClose(Reply reply) {
        io.write(encode(reply));
        io.closeOnFlush();
    }

    @Override
    public void startTls(Reply ready) {
        io.getFilterChain().addFirst(TLS_FILTER, new TlsFilter(tls, protocols));
        TlsFilter.sendNextInClear(io);
        io.write(encode(ready));
    }

    @Override
    public String tlsProtocol() {
        SSLSession ssl = secured();
        return ssl == null ? null : ssl.getProtocol();
    }

    @Override
    public String tlsCipher() {
        SSLSession ssl = secured();
        return ssl == null ? null : ssl.getCipherSuite();
    }

    @Override
    public void idleTimeout(int seconds) {
        io.getConfig().setIdleTime(IdleStatus.READER_IDLE, seconds);
    }

    @Override
    public void execute(Runnable task) {
        SessionSerializer.submit(io, task);
    }

    @Override
    public boolean onIoThread() {
        return SessionSerializer.onIoThread(io);
    }

    @Override
    public void consumed(long bytes) {
        ReadThrottle.consumed(io, bytes);
    }

    /** An event that is not input: work to finish on the session's worker. */
    record Continuation(Runnable task) {
    }

    private SSLSession secured() {
        return (SSLSession) io.getAttribute(SslFilter.SSL_SECURED);
    }

    static IoBuffer encode(Reply reply) {
        return IoBuffer.wrap(reply.toWire().getBytes(StandardCharsets.UTF_8));
    }
}
