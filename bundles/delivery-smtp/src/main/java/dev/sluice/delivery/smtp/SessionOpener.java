package dev.sluice.delivery.smtp;

import dev.sluice.api.mail.Reply;
import dev.sluice.api.ratelimit.ConnectionPermit;
import dev.sluice.api.routing.Credentials;
import dev.sluice.api.routing.TlsPolicy;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
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
        return opener.connect()
                .thenCompose(opener::greeted)
                .thenCompose(opener::tls)
                .thenCompose(opener::auth)
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
                    conn.close();
                    greeting.completeExceptionally(connectFailure(f.getException()));
                }
            });
        } catch (RuntimeException e) {
            conn.close();
            greeting.completeExceptionally(connectFailure(e));
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
            throw new java.util.concurrent.CompletionException(SmtpFailure.remote(greeting, conn.remoteHost));
        }
        return hello();
    }

    private CompletableFuture<Capabilities> hello() {
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

    private CompletionStage<Capabilities> tls(Capabilities caps) {
        TlsPolicy policy = conn.key.hop().tls();
        if (policy == TlsPolicy.NONE || policy == TlsPolicy.OPPORTUNISTIC && !caps.startTls()) {
            return CompletableFuture.completedFuture(caps);
        }
        if (!caps.startTls()) {
            throw local("4.7.4", "TLS is required (" + policy + ") but " + conn.where + " does not offer STARTTLS");
        }
        return conn.command("STARTTLS", rt.settings.commandTimeout()).thenCompose(reply -> {
            if (reply.code() != 220) {
                if (policy == TlsPolicy.OPPORTUNISTIC) {
                    return CompletableFuture.completedFuture(caps);
                }
                throw local("4.7.4", "TLS is required (" + policy + ") but " + conn.where + " refused STARTTLS: "
                        + reply);
            }
            if (!conn.discardClearText()) {
                throw local("4.5.0", conn.where + " sent clear text after its STARTTLS reply");
            }
            return handshake(policy == TlsPolicy.VERIFY).thenCompose(protocol -> {
                conn.tlsProtocol = protocol;
                return hello();
            });
        });
    }

    private CompletableFuture<String> handshake(boolean verify) {
        TlsUpgrade upgrade = new TlsUpgrade();
        conn.tls = upgrade;
        var timer = rt.schedule(() -> conn.fail(SmtpFailure.local(451, "4.7.5", "timeout in the TLS handshake with "
                + conn.where, conn.remoteHost)), rt.settings.commandTimeout());
        upgrade.result.whenComplete((p, e) -> {
            if (timer != null) {
                timer.cancel(false);
            }
        });
        var hop = conn.key.hop();
        var context = verify ? rt.tls.verifying() : rt.tls.anyCertificate();
        try {
            conn.session().getFilterChain().addFirst("tls", TlsUpgrade.filter(context, hop.host(), hop.port(), verify));
        } catch (RuntimeException e) {
            conn.fail(SmtpFailure.local(451, "4.7.5", "cannot start TLS with " + conn.where + ": " + e, conn.remoteHost));
        }
        return upgrade.result;
    }

    private CompletionStage<Void> auth(Capabilities caps) {
        Credentials creds = conn.key.hop().credentials();
        if (creds == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (conn.tlsProtocol == null && !rt.settings.authOverPlaintext()) {
            throw local("4.7.0", "not sending credentials to " + conn.where + " without TLS");
        }
        var timeout = rt.settings.commandTimeout();
        if (caps.auth().contains("PLAIN")) {
            String token = b64("\0" + creds.username() + "\0" + creds.password());
            return conn.command("AUTH PLAIN " + token, timeout).thenAccept(this::authenticated);
        }
        if (caps.auth().contains("LOGIN")) {
            return conn.command("AUTH LOGIN", timeout).thenCompose(r -> challenge(r, creds.username()))
                    .thenCompose(r -> challenge(r, creds.password())).thenAccept(this::authenticated);
        }
        throw local("4.7.0", conn.where + " offers neither AUTH PLAIN nor AUTH LOGIN");
    }

    private CompletableFuture<Reply> challenge(Reply reply, String answer) {
        if (reply.code() != 334) {
            authenticated(reply);
        }
        return conn.command(b64(answer), rt.settings.commandTimeout());
    }

    private void authenticated(Reply reply) {
        if (reply.code() != 235) {
            // A rejected login is our configuration problem, never the recipients': defer, do not bounce.
            throw reply.isTransient() ? failure(reply) : local("4.7.0", "authentication to " + conn.where
                    + " failed: " + reply);
        }
    }

    private java.util.concurrent.CompletionException failure(Reply reply) {
        return new java.util.concurrent.CompletionException(SmtpFailure.remote(reply, conn.remoteHost));
    }

    private java.util.concurrent.CompletionException local(String enhanced, String text) {
        return new java.util.concurrent.CompletionException(SmtpFailure.local(451, enhanced, text, conn.remoteHost));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
