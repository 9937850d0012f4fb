package dev.sluice.dsn;

import dev.sluice.api.mail.MailAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Small helpers that keep what we write into a DSN valid 7-bit RFC 5322 / RFC 3464 text. */
final class MailText {

    /** RFC 5322 §3.3 date-time with a numeric zone (the "GMT" of RFC_1123_DATE_TIME is obsolete syntax). */
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final int FOLD_AT = 76;

    private MailText() {
    }

    static String date(Instant instant) {
        return DATE.format(instant);
    }

    /**
     * Remote replies and ENVIDs are untrusted: control characters (including CR/LF that could inject fields)
     * and non-ASCII become '?', and runs of white space collapse, so a field can never break the structure.
     */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean space = c == ' ' || c == '\t' || c == '\n';
            if (space) {
                if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
                    out.append(' ');
                }
            } else {
                out.append(c > 0x20 && c < 0x7f ? c : '?');
            }
        }
        return out.toString().strip();
    }

    /**
     * An address for Final-Recipient: {@code rfc822; a@b} for ASCII, else the {@code utf-8} address type with
     * RFC 6533 utf-8-addr-xtext, which keeps the field 7-bit inside message/delivery-status.
     */
    static String typedAddress(MailAddress address) {
        String text = address.toString();
        return isAscii(text) ? "rfc822; " + text : "utf-8; " + utf8AddrXtext(text);
    }

    /** An ORCPT value ({@code type;address}) made 7-bit the same way when it is not. */
    static String typedOriginal(String orcpt) {
        if (isAscii(orcpt) && printable(orcpt).equals(orcpt)) {
            return orcpt;
        }
        int semicolon = orcpt.indexOf(';');
        return "utf-8;" + utf8AddrXtext(orcpt.substring(semicolon + 1).strip());
    }

    static String utf8AddrXtext(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(cp -> {
            boolean qchar = cp >= 0x21 && cp <= 0x7e && cp != '+' && cp != '=' && cp != '\\';
            if (qchar) {
                out.append((char) cp);
            } else {
                out.append("\\x{").append(Integer.toHexString(cp).toUpperCase(Locale.ROOT)).append('}');
            }
        });
        return out.toString();
    }

    /** Writes {@code name: value} CRLF-terminated, folded at spaces so lines stay short (RFC 5322 §2.2.3). */
    static void field(StringBuilder out, String name, String value) {
        int lineStart = out.length();
        boolean lineHasWord = false;
        out.append(name).append(':');
        for (String word : value.split(" ")) {
            if (word.isEmpty()) {
                continue;
            }
            if (lineHasWord && out.length() - lineStart + 1 + word.length() > FOLD_AT) {
                out.append("\r\n");
                lineStart = out.length();
            }
            out.append(' ').append(word);
            lineHasWord = true;
        }
        out.append("\r\n");
    }

    static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
