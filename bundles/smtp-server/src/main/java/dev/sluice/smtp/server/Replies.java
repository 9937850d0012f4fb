package dev.sluice.smtp.server;

import dev.sluice.api.mail.Reply;

/** Replies used in more than one place. */
final class Replies {

    static final Reply OK = Reply.of(250, "2.0.0", "OK");
    static final Reply BAD_SEQUENCE_HELO = Reply.of(503, "5.5.1", "Send EHLO or HELO first");
    static final Reply BAD_SEQUENCE_MAIL = Reply.of(503, "5.5.1", "Need MAIL command first");
    static final Reply NO_RECIPIENTS = Reply.of(554, "5.5.1", "No valid recipients");
    static final Reply PARAMS_NEED_EHLO = Reply.of(555, "5.5.4", "Parameters need EHLO");
    static final Reply TOO_MANY_ERRORS = Reply.of(421, "4.7.0", "Too many errors, closing connection");
    static final Reply TOO_MANY_COMMANDS = Reply.of(421, "4.7.0", "Too many commands, closing connection");
    static final Reply TIMEOUT = Reply.of(421, "4.4.2", "Timeout, closing connection");
    static final Reply SHUTDOWN = Reply.of(421, "4.3.2", "Service shutting down, try again later");
    static final Reply TOO_MANY_CONNECTIONS = Reply.of(421, "4.7.0", "Too many connections, try again later");
    static final Reply RELAY_DENIED = Reply.of(554, "5.7.1", "Relay access denied");
    static final Reply AUTH_REQUIRED = Reply.of(530, "5.7.0", "Authentication required");
    static final Reply UTF8_REQUIRED = Reply.of(553, "5.6.7", "Non-ASCII address needs SMTPUTF8");

    private Replies() {
    }

    /**
     * RFC 2034: every reply carries an enhanced status code, except the greeting, the EHLO/HELO answer and the
     * intermediate 334/354 (3.x.x does not exist). Our own replies all have one; a refusal from a filter or an
     * inbound limiter that gives none gets the generic code of its class.
     */
    static Reply withStatus(Reply reply) {
        if (reply.enhancedStatus() != null || reply.code() < 400) {
            return reply;
        }
        return Reply.of(reply.code(), reply.code() / 100 + ".0.0", reply.text());
    }
}
