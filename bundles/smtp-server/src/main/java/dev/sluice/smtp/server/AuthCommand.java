package dev.sluice.smtp.server;

import dev.sluice.api.mail.Reply;
import dev.sluice.api.ratelimit.InboundLimiter;
import dev.sluice.smtp.server.auth.SaslExchange;
import dev.sluice.smtp.server.protocol.Command;
import java.util.Optional;

/** STARTTLS (RFC 3207) and AUTH (RFC 4954): the commands that change who the client is. */
final class AuthCommand {

    private final SmtpSession s;

    AuthCommand(SmtpSession session) {
        this.s = session;
    }

    static boolean authOffered(SmtpSession s) {
        return !s.ctx.settings().users().isEmpty()
                && (s.conn.tlsProtocol() != null || s.ctx.settings().allowPlaintextAuth());
    }

    void startTls() {
        if (!s.ctx.settings().offersStartTls()) {
            s.reply(Reply.of(454, "4.7.0", "TLS not available"));
        } else if (s.conn.tlsProtocol() != null) {
            s.bad(Reply.of(503, "5.5.1", "TLS already active"));
        } else if (s.authUser != null) {
            // Upgrading an authenticated session invites session-fixation attacks.
            s.bad(Reply.of(503, "5.5.1", "STARTTLS not allowed after AUTH"));
        } else {
            // Anything the client pipelined after STARTTLS was sent in clear and is dropped (CVE-2011-0411).
            s.decoder.discardMode();
            s.resetToGreeting();
            s.conn.startTls(Reply.of(220, "2.0.0", "Ready to start TLS"));
        }
    }

    void auth(Command.Auth c) {
        if (s.helo == null || !s.extended) {
            s.bad(Reply.of(503, "5.5.1", "Send EHLO first"));
        } else if (s.authUser != null) {
            s.bad(Reply.of(503, "5.5.1", "Already authenticated"));
        } else if (s.hasTransaction()) {
            s.bad(Reply.of(503, "5.5.1", "AUTH not allowed during a mail transaction"));
        } else if (s.ctx.settings().users().isEmpty()) {
            s.bad(Reply.of(502, "5.5.1", "AUTH not available"));
        } else if (s.conn.tlsProtocol() == null && !s.ctx.settings().allowPlaintextAuth()) {
            s.reply(Reply.of(538, "5.7.11", "Encryption required for requested authentication mechanism"));
        } else {
            SaslExchange exchange = SaslExchange.start(c.mechanism(), s.ctx.settings().users());
            if (exchange == null) {
                s.bad(Reply.of(504, "5.5.4", "Unrecognized authentication type"));
                return;
            }
            InboundLimiter limiter = s.ctx.services().limiter();
            Optional<Reply> refusal = limiter == null ? Optional.empty()
                    : limiter.admitAuthentication(s.clientAddress());
            if (refusal.isPresent()) {
                s.reply(refusal.get());
                return;
            }
            step(exchange, exchange.begin(c.initialResponse()));
        }
    }

    void continueWith(SaslExchange exchange, String line) {
        step(exchange, exchange.respond(line));
    }

    private void step(SaslExchange exchange, SaslExchange.Step step) {
        if (step instanceof SaslExchange.Step.Challenge challenge) {
            s.setSasl(exchange);
            s.reply(Reply.of(334, null, challenge.base64()));
            return;
        }
        s.setSasl(null);
        if (step instanceof SaslExchange.Step.Failed failed) {
            s.bad(failed.reply());
        } else if (step instanceof SaslExchange.Step.Done done && done.user() != null) {
            s.authUser = done.user();
            s.reply(Reply.of(235, "2.7.0", "Authentication successful"));
        } else {
            InboundLimiter limiter = s.ctx.services().limiter();
            if (limiter != null) {
                limiter.authenticationFailed(s.clientAddress());
            }
            s.bad(Reply.of(535, "5.7.8", "Authentication credentials invalid"));
        }
    }
}
