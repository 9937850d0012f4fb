package dev.sluice.smtp.server.protocol;

/** The mailbox syntax of RFC 5321 §4.1.2 (Dot-string or Quoted-string local part), with RFC 6531 UTF-8. */
final class Addresses {

    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    private Addresses() {
    }

    static boolean isValidMailbox(String mailbox) {
        int at = mailbox.lastIndexOf('@');
        if (at <= 0 || at == mailbox.length() - 1) {
            return false;
        }
        String local = mailbox.substring(0, at);
        return local.charAt(0) == '"' ? isQuotedString(local) : isDotString(local);
    }

    private static boolean isDotString(String local) {
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return false;
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (!(c >= 0x80 || Character.isLetterOrDigit(c) || c == '.' || ATEXT_SPECIALS.indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isQuotedString(String local) {
        if (local.length() < 2 || local.charAt(local.length() - 1) != '"') {
            return false;
        }
        for (int i = 1; i < local.length() - 1; i++) {
            char c = local.charAt(i);
            if (c == '\\') {
                i++;
                if (i >= local.length() - 1 || local.charAt(i) < 0x20) {
                    return false;
                }
            } else if (c == '"' || c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
