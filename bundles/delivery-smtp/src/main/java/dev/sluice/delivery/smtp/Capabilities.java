package dev.sluice.delivery.smtp;

import dev.sluice.api.mail.Reply;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What the server announced in its EHLO reply.
 *
 * @param sizeOffered whether SIZE was listed
 * @param maxSize the SIZE limit in bytes, 0 when none was given
 */
record Capabilities(boolean esmtp, boolean pipelining, boolean sizeOffered, long maxSize, boolean eightBitMime,
                    boolean smtpUtf8, boolean dsn, boolean startTls, Set<String> auth) {

    static final Capabilities NONE = new Capabilities(false, false, false, 0, false, false, false, false, Set.of());

    static Capabilities parse(Reply ehlo) {
        boolean pipelining = false, sizeOffered = false, eightBit = false, utf8 = false, dsn = false, tls = false;
        long maxSize = 0;
        Set<String> auth = new HashSet<>();
        var lines = ehlo.lines();
        for (int i = 1; i < lines.size(); i++) {
            String[] words = lines.get(i).trim().toUpperCase(Locale.ROOT).split("[ =]+");
            switch (words[0]) {
                case "PIPELINING" -> pipelining = true;
                case "8BITMIME" -> eightBit = true;
                case "SMTPUTF8" -> utf8 = true;
                case "DSN" -> dsn = true;
                case "STARTTLS" -> tls = true;
                case "AUTH" -> auth.addAll(Arrays.asList(words).subList(1, words.length));
                case "SIZE" -> {
                    sizeOffered = true;
                    maxSize = words.length > 1 ? parseSize(words[1]) : 0;
                }
                default -> { }
            }
        }
        return new Capabilities(true, pipelining, sizeOffered, maxSize, eightBit, utf8, dsn, tls, Set.copyOf(auth));
    }

    private static long parseSize(String word) {
        try {
            return Math.max(0, Long.parseLong(word));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
