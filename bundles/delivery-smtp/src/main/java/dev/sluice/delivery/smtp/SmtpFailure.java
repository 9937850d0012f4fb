package dev.sluice.delivery.smtp;

import dev.sluice.api.mail.Reply;
import java.util.concurrent.CompletionException;

/**
 * Why a hop could not take the message. {@code nextHop} says whether another host of the route may do
 * better (connection trouble, 421, TLS) or whether the reply holds for the whole attempt (no connection slot,
 * unreadable content).
 */
final class SmtpFailure extends Exception {
    final transient Reply reply;
    final String remoteHost;
    final boolean remote;
    final boolean nextHop;

    private SmtpFailure(Reply reply, String remoteHost, boolean remote, boolean nextHop) {
        super(reply.toString(), null, false, false);
        this.reply = reply;
        this.remoteHost = remoteHost;
        this.remote = remote;
        this.nextHop = nextHop;
    }

    /** A failure reply the server gave. */
    static SmtpFailure remote(Reply reply, String remoteHost) {
        return new SmtpFailure(reply, remoteHost, true, true);
    }

    /** A locally detected failure of this hop (refused, timeout, garbage, TLS). */
    static SmtpFailure local(int code, String enhanced, String text, String remoteHost) {
        return new SmtpFailure(Reply.of(code, enhanced, oneLine(text)), remoteHost, false, true);
    }

    /** A local failure that another hop cannot fix. */
    static SmtpFailure attempt(int code, String enhanced, String text) {
        return new SmtpFailure(Reply.of(code, enhanced, oneLine(text)), null, false, false);
    }

    private static String oneLine(String text) {
        return text.replace('\r', ' ').replace('\n', ' ');
    }

    /** Unwraps a stage's failure; anything unexpected becomes a local 451 4.3.0 for this hop. */
    static SmtpFailure of(Throwable t, String where) {
        Throwable c = t;
        while (c instanceof CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof SmtpFailure f) {
            return f;
        }
        String text = "local error talking to " + where + ": " + c;
        return local(451, "4.3.0", text, null);
    }
}
