package dev.sluice.filter.suppression;

import dev.sluice.api.mail.MailAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * One suppression entry, normalised: an address {@code user@example.com} (compared without regard to case) or a
 * domain {@code example.com} (also written {@code @example.com}; covers its subdomains). Kept in memory only as
 * a 64-bit key, the first 8 bytes of a SHA-256 of the normalised text: a false match needs a 64-bit collision.
 */
record Entry(String text, boolean domain) {

    /** Parses what an administrator writes; the message of the exception says what is wrong. */
    static Entry parse(String raw) {
        String s = raw.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty entry");
        }
        try {
            if (s.startsWith("@") || s.indexOf('@') < 0) {
                String domain = s.startsWith("@") ? s.substring(1) : s;
                new MailAddress("x", domain); // validates the domain
                return new Entry(MailAddress.toAsciiDomain(domain), true);
            }
            return of(MailAddress.parse(s));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + raw.strip() + "' is neither an address nor a domain: "
                    + e.getMessage());
        }
    }

    static Entry of(MailAddress address) {
        return new Entry(address.localPart().toLowerCase(Locale.ROOT) + "@" + address.asciiDomain(), false);
    }

    static Entry ofDomain(String asciiDomain) {
        return new Entry(asciiDomain, true);
    }

    long key() {
        return key((domain ? "d:" : "a:") + text);
    }

    @Override
    public String toString() {
        return text;
    }

    private static long key(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
