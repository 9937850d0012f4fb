package dev.sluice.delivery.smtp;

import dev.sluice.api.mail.BodyType;
import dev.sluice.api.mail.DsnReturn;
import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.Notify;
import dev.sluice.api.mail.Recipient;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.stream.Collectors;

/** MAIL and RCPT command lines with the parameters the server's extensions allow. */
final class Commands {
    private Commands() {
    }

    static String mail(Envelope env, long size, Capabilities caps, boolean utf8) {
        StringBuilder b = new StringBuilder("MAIL FROM:<").append(env.sender()).append('>');
        if (caps.sizeOffered()) {
            b.append(" SIZE=").append(size);
        }
        // Without 8BITMIME the body goes as is (no BODY parameter): most servers accept 8-bit data anyway, and
        // a downgrade would break DKIM signatures. Documented in the README.
        if (env.bodyType() == BodyType.EIGHT_BIT_MIME && caps.eightBitMime()) {
            b.append(" BODY=8BITMIME");
        }
        if (utf8) {
            b.append(" SMTPUTF8");
        }
        if (caps.dsn()) {
            if (env.dsnReturn() != DsnReturn.UNSPECIFIED) {
                b.append(" RET=").append(env.dsnReturn() == DsnReturn.FULL ? "FULL" : "HDRS");
            }
            if (env.envelopeId() != null) {
                b.append(" ENVID=").append(xtext(env.envelopeId()));
            }
        }
        return b.toString();
    }

    static String rcpt(Recipient r, Capabilities caps) {
        StringBuilder b = new StringBuilder("RCPT TO:<").append(r.address()).append('>');
        if (caps.dsn()) {
            if (!r.notifyOn().isEmpty()) {
                b.append(" NOTIFY=").append(r.notifyOn().stream().sorted().map(Notify::name)
                        .collect(Collectors.joining(",")));
            }
            if (r.originalRecipient() != null) {
                int semi = r.originalRecipient().indexOf(';');
                b.append(" ORCPT=").append(r.originalRecipient(), 0, semi).append(';')
                        .append(xtext(r.originalRecipient().substring(semi + 1)));
            }
        }
        return b.toString();
    }

    /** RFC 3461 §4 xtext: printable ASCII except '+' and '=' as is, every other octet as +HH. */
    static String xtext(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c >= '!' && c <= '~' && c != '+' && c != '=') {
                b.append((char) c);
            } else {
                b.append('+').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return b.toString();
    }
}
