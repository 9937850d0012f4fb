package dev.sluice.smtp.server.protocol;

import dev.sluice.api.mail.MailAddress;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.mail.ReversePath;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Pure RFC 5321 command-line parser: no I/O, no session; every failure is a {@link Command.Invalid}. */
public final class CommandParser {

    private static final Set<String> NOT_IMPLEMENTED = Set.of("EXPN", "TURN", "ETRN", "SEND", "SOML", "SAML", "ATRN");
    private static final int MAX_BDAT_DIGITS = 18;

    private CommandParser() {
    }

    public static Command parse(String line) {
        int space = line.indexOf(' ');
        String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String arg = space < 0 ? "" : line.substring(space + 1);
        switch (verb) {
            case "EHLO": return helo(arg, true);
            case "HELO": return helo(arg, false);
            case "MAIL": return mail(arg);
            case "RCPT": return rcpt(arg);
            case "DATA": return noArgs(arg, new Command.Data());
            case "BDAT": return bdat(arg);
            case "RSET": return noArgs(arg, new Command.Rset());
            case "QUIT": return noArgs(arg, new Command.Quit());
            case "STARTTLS": return noArgs(arg, new Command.StartTls());
            case "NOOP": return new Command.Noop();
            case "HELP": return new Command.Help();
            case "VRFY": return arg.isBlank() ? invalid(501, "5.5.4", "Syntax: VRFY <address>") : new Command.Vrfy(arg);
            case "AUTH": return auth(arg);
            default:
                if (NOT_IMPLEMENTED.contains(verb)) {
                    return invalid(502, "5.5.1", "Command not implemented");
                }
                return invalid(500, "5.5.2", "Command unrecognized");
        }
    }

    private static Command helo(String arg, boolean extended) {
        String domain = arg.strip();
        int space = domain.indexOf(' ');
        if (space > 0) {
            domain = domain.substring(0, space);
        }
        if (domain.isEmpty()) {
            return invalid(501, "5.5.4", "Syntax: " + (extended ? "EHLO" : "HELO") + " <hostname>");
        }
        for (int i = 0; i < domain.length(); i++) {
            char c = domain.charAt(i);
            if (c < 0x21 || c == 0x7f) {
                return invalid(501, "5.5.4", "Invalid character in hostname");
            }
        }
        return new Command.Helo(domain, extended);
    }

    private static Command mail(String arg) {
        if (!arg.regionMatches(true, 0, "FROM:", 0, 5)) {
            return invalid(501, "5.5.4", "Syntax: MAIL FROM:<address> [parameters]");
        }
        PathAndParams pp = PathAndParams.split(arg.substring(5));
        if (pp == null) {
            return invalid(501, "5.5.4", "Syntax: MAIL FROM:<address> [parameters]");
        }
        Map<String, String> params = parseParams(pp.params());
        if (params == null) {
            return invalid(501, "5.5.4", "Invalid parameter syntax");
        }
        if (pp.path().isEmpty()) {
            return new Command.Mail(ReversePath.NULL, params);
        }
        MailAddress address = address(pp.path());
        return address == null ? invalid(501, "5.1.7", "Invalid sender address syntax")
                : new Command.Mail(ReversePath.of(address), params);
    }

    private static Command rcpt(String arg) {
        if (!arg.regionMatches(true, 0, "TO:", 0, 3)) {
            return invalid(501, "5.5.4", "Syntax: RCPT TO:<address> [parameters]");
        }
        PathAndParams pp = PathAndParams.split(arg.substring(3));
        if (pp == null || pp.path().isEmpty()) {
            return invalid(501, "5.5.4", "Syntax: RCPT TO:<address> [parameters]");
        }
        Map<String, String> params = parseParams(pp.params());
        if (params == null) {
            return invalid(501, "5.5.4", "Invalid parameter syntax");
        }
        if (pp.path().equalsIgnoreCase("postmaster")) {
            return new Command.Rcpt(null, params);
        }
        MailAddress address = address(pp.path());
        return address == null ? invalid(501, "5.1.3", "Invalid recipient address syntax")
                : new Command.Rcpt(address, params);
    }

    private static Command bdat(String arg) {
        String[] parts = arg.split(" ", -1);
        boolean last = parts.length == 2 && parts[1].equalsIgnoreCase("LAST");
        if (parts.length < 1 || parts.length > 2 || (parts.length == 2 && !last)
                || !isDigits(parts[0]) || parts[0].length() > MAX_BDAT_DIGITS) {
            return invalid(501, "5.5.4", "Syntax: BDAT <size> [LAST]");
        }
        return new Command.Bdat(Long.parseLong(parts[0]), last);
    }

    private static Command auth(String arg) {
        String[] parts = arg.split(" ", -1);
        if (parts[0].isEmpty() || parts.length > 2 || (parts.length == 2 && parts[1].isEmpty())) {
            return invalid(501, "5.5.4", "Syntax: AUTH <mechanism> [initial-response]");
        }
        String initial = parts.length == 2 ? (parts[1].equals("=") ? "" : parts[1]) : null;
        return new Command.Auth(parts[0].toUpperCase(Locale.ROOT), initial);
    }

    private static Command noArgs(String arg, Command command) {
        return arg.isEmpty() ? command : invalid(501, "5.5.4", "No parameters allowed");
    }

    /** ESMTP parameters by upper-case keyword; null on bad syntax or a repeated keyword. */
    static Map<String, String> parseParams(String text) {
        Map<String, String> params = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return params;
        }
        for (String token : text.split(" ")) {
            if (token.isEmpty()) {
                continue;
            }
            int eq = token.indexOf('=');
            String key = (eq < 0 ? token : token.substring(0, eq)).toUpperCase(Locale.ROOT);
            String value = eq < 0 ? "" : token.substring(eq + 1);
            if (!isKeyword(key) || (eq >= 0 && !isParamValue(value)) || params.put(key, value) != null) {
                return null;
            }
        }
        return params;
    }

    private static MailAddress address(String path) {
        if (!Addresses.isValidMailbox(path)) {
            return null;
        }
        try {
            return MailAddress.parse(path);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isKeyword(String key) {
        if (key.isEmpty() || !Character.isLetterOrDigit(key.charAt(0))) {
            return false;
        }
        return key.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-'));
    }

    private static boolean isParamValue(String value) {
        return !value.isEmpty() && value.chars().allMatch(c -> c > 32 && c != '=' && c != 127);
    }

    private static boolean isDigits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static Command invalid(int code, String status, String text) {
        return new Command.Invalid(Reply.of(code, status, text));
    }
}
