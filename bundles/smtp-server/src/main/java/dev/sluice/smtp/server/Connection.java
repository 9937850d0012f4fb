package dev.sluice.smtp.server;

import dev.sluice.api.mail.Reply;
import java.net.InetSocketAddress;

/** What a session needs from its transport; MINA in production, a fake in state-machine tests. */
interface Connection {

    InetSocketAddress remote();

    void send(Reply reply);

    /** Sends the reply, then closes once it is written. */
    void sendAndClose(Reply reply);

    /** Installs TLS and sends {@code ready} in clear; the session hears {@code onTlsEstablished} after the handshake. */
    void startTls(Reply ready);

    /** The negotiated protocol, or null on a clear-text connection. */
    String tlsProtocol();

    String tlsCipher();

    void idleTimeout(int seconds);

    /**
     * Runs the task on this session's worker, after the events already queued for it and never at the same time
     * as another of its events. Dropped when the listener has stopped.
     */
    void execute(Runnable task);

    /**
     * True while the session's event runs on the I/O thread: then it must not block (disk, AUTH hashing, TLS
     * setup) and hands such a command to {@link #execute} instead.
     */
    boolean onIoThread();

    /** The session has now used {@code bytes} of input it held back (so reading may resume). */
    void consumed(long bytes);
}
