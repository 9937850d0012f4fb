package dev.sluice.smtp.server;

/** The EHLO keywords a session offers in its current state. */
final class Capabilities {

    private Capabilities() {
    }

    static String of(SmtpSession s) {
        ListenerSettings settings = s.ctx.settings();
        StringBuilder b = new StringBuilder();
        b.append("PIPELINING\nSIZE ").append(settings.maxMessageSize())
                .append("\n8BITMIME\nSMTPUTF8\nENHANCEDSTATUSCODES\nDSN\nCHUNKING");
        if (settings.offersStartTls() && s.conn.tlsProtocol() == null) {
            b.append("\nSTARTTLS");
        }
        if (AuthCommand.authOffered(s)) {
            b.append("\nAUTH PLAIN LOGIN");
        }
        return b.toString();
    }
}
