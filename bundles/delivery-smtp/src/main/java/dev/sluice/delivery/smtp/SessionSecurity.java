package dev.sluice.delivery.smtp;

import dev.sluice.api.mail.Reply;
import dev.sluice.api.routing.Credentials;
import dev.sluice.api.routing.TlsPolicy;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** STARTTLS by the hop's policy and AUTH by its credentials, on a greeted session. */
final class SessionSecurity {
    private final ClientRuntime rt;
    private final SmtpConnection conn;
    private final Supplier<CompletableFuture<Capabilities>> hello;

    SessionSecurity(ClientRuntime rt, SmtpConnection conn, Supplier<CompletableFuture<Capabilities>> hello) {
        this.rt = rt;
        this.conn = conn;
        this.hello = hello;
    }

    CompletionStage<Capabilities> tls(Capabilities caps) {
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
                return hello.get();
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

    CompletionStage<Void> auth(Capabilities caps) {
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

    private CompletionException failure(Reply reply) {
        return new CompletionException(SmtpFailure.remote(reply, conn.remoteHost));
    }

    private CompletionException local(String enhanced, String text) {
        return new CompletionException(SmtpFailure.local(451, enhanced, text, conn.remoteHost));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
