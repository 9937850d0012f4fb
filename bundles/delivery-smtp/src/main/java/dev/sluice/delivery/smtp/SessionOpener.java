package dev.sluice.delivery.smtp;

import dev.sluice.api.mail.Reply;
import dev.sluice.api.ratelimit.ConnectionPermit;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.mina.core.future.ConnectFuture;

/** Connects and brings a session to the point where a MAIL transaction can start. */
final class SessionOpener {
    private final ClientRuntime rt;
    private final SmtpConnection conn;

    private SessionOpener(ClientRuntime rt, SmtpConnection conn) {
        this.rt = rt;
        this.conn = conn;
    }

    /** Takes ownership of the permit: it is released when the session ends or could not be made. */
    static CompletableFuture<SmtpConnection> open(ClientRuntime rt, PoolKey key, ConnectionPermit permit) {
        SmtpConnection conn = new SmtpConnection(rt, key, permit);
        SessionOpener opener = new SessionOpener(rt, conn);
        SessionSecurity security = new SessionSecurity(rt, conn, opener::hello);
        return opener.connect()
                .thenCompose(opener::greeted)
                .thenCompose(security::tls)
                .thenCompose(security::auth)
                .thenApply(v -> conn)
                .whenComplete((c, e) -> {
                    if (e != null) {
                        // No QUIT: the session is of no further use and its slot should be free at once.
                        conn.fail(SmtpFailure.of(e, conn.where));
                    }
                });
    }

    private CompletableFuture<Reply> connect() {
        CompletableFuture<Reply> greeting = new CompletableFuture<>();
        // Stopping may fail the connection while MINA is still connecting; once a session exists, the
        // greeting is a pending reply and fails with the session instead.
        conn.failed.thenAccept(f -> {
            if (conn.session() == null) {
                greeting.completeExceptionally(f);
            }
        });
        var hop = conn.key.hop();
        var bind = conn.key.source().bindAddress();
        try {
            ConnectFuture f = rt.connector.connect(new InetSocketAddress(hop.address(), hop.port()),
                    bind == null ? null : new InetSocketAddress(bind, 0), (session, future) -> {
                        conn.attach(session);
                        // Registered before the session opens, so the greeting can never arrive unexpected.
                        conn.expect(rt.settings.greetingTimeout(), "greeting").whenComplete((r, e) -> {
                            if (e != null) {
                                greeting.completeExceptionally(e);
                            } else {
                                greeting.complete(r);
                            }
                        });
                    });
            f.addListener(cf -> {
                if (!f.isConnected()) {
                    SmtpFailure failure = connectFailure(f.getException());
                    conn.fail(failure);
                    conn.released(); // no socket was made: the slot is free now
                    greeting.completeExceptionally(failure);
                }
            });
        } catch (RuntimeException e) {
            SmtpFailure failure = connectFailure(e);
            conn.fail(failure);
            conn.released();
            greeting.completeExceptionally(failure);
        }
        return greeting;
    }

    private SmtpFailure connectFailure(Throwable e) {
        String text = e instanceof ConnectException ? "connection refused by " + conn.where
                : "cannot connect to " + conn.where + ": " + (e == null ? "unknown error" : e.getMessage());
        return SmtpFailure.local(451, "4.4.1", text.replace('\r', ' ').replace('\n', ' '), null);
    }

    private CompletionStage<Capabilities> greeted(Reply greeting) {
        if (greeting.code() != 220) {
            throw new CompletionException(SmtpFailure.remote(greeting, conn.remoteHost));
        }
        return hello();
    }

    CompletableFuture<Capabilities> hello() {
        String name = conn.key.source().ehloName();
        return conn.command("EHLO " + name, rt.settings.commandTimeout()).thenCompose(ehlo -> {
            if (ehlo.code() == 250) {
                return CompletableFuture.completedFuture(Capabilities.parse(ehlo));
            }
            if (!ehlo.isPermanent()) {
                throw failure(ehlo);
            }
            return conn.command("HELO " + name, rt.settings.commandTimeout()).thenApply(helo -> {
                if (helo.code() != 250) {
                    throw failure(helo);
                }
                return Capabilities.NONE;
            });
        }).thenApply(caps -> conn.caps = caps);
    }

    private CompletionException failure(Reply reply) {
        return new CompletionException(SmtpFailure.remote(reply, conn.remoteHost));
    }
}
