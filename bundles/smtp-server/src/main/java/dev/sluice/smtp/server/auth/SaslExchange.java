package dev.sluice.smtp.server.auth;

import dev.sluice.api.mail.Reply;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** One AUTH PLAIN or LOGIN exchange (RFC 4954, RFC 4616); fed base64 lines, answers with the next step. */
public final class SaslExchange {

    /** What to tell the client next. */
    public sealed interface Step {
        record Challenge(String base64) implements Step {
        }

        /** Finished: {@code user} is the authenticated identity, or null when the credentials are wrong. */
        record Done(String user) implements Step {
        }

        /** Malformed or cancelled exchange. */
        record Failed(Reply reply) implements Step {
        }
    }

    private static final String USERNAME = b64("Username:");
    private static final String PASSWORD = b64("Password:");

    private final boolean plain;
    private final UserDirectory users;
    private String loginUser;

    private SaslExchange(boolean plain, UserDirectory users) {
        this.plain = plain;
        this.users = users;
    }

    /** Null for a mechanism we do not offer. */
    public static SaslExchange start(String mechanism, UserDirectory users) {
        return switch (mechanism) {
            case "PLAIN" -> new SaslExchange(true, users);
            case "LOGIN" -> new SaslExchange(false, users);
            default -> null;
        };
    }

    /** The first step, given the optional initial response of the AUTH command. */
    public Step begin(String initialResponse) {
        if (initialResponse == null) {
            return new Step.Challenge(plain ? "" : USERNAME);
        }
        return respond(initialResponse);
    }

    public Step respond(String line) {
        if (line.equals("*")) {
            return new Step.Failed(Reply.of(501, "5.7.0", "Authentication cancelled"));
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(line);
        } catch (IllegalArgumentException e) {
            return new Step.Failed(Reply.of(501, "5.5.2", "Invalid base64 data"));
        }
        String text = new String(decoded, StandardCharsets.UTF_8);
        if (plain) {
            String[] parts = text.split("\u0000", -1);
            if (parts.length != 3 || parts[1].isEmpty()) {
                return new Step.Failed(Reply.of(501, "5.5.2", "Invalid PLAIN response"));
            }
            boolean proxy = !parts[0].isEmpty() && !parts[0].equals(parts[1]);
            // Acting for another identity (authzid) is not something a listener user may do.
            return new Step.Done(!proxy && users.authenticate(parts[1], parts[2].toCharArray()) ? parts[1] : null);
        }
        if (loginUser == null) {
            if (text.isEmpty()) {
                return new Step.Failed(Reply.of(501, "5.5.2", "Empty user name"));
            }
            loginUser = text;
            return new Step.Challenge(PASSWORD);
        }
        return new Step.Done(users.authenticate(loginUser, text.toCharArray()) ? loginUser : null);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
    }
}
