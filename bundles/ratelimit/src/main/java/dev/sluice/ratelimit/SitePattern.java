package dev.sluice.ratelimit;

import java.util.Locale;

/**
 * A name pattern: {@code *} (anything), {@code *.example.com} (any name below example.com) or an exact name.
 * Matching ignores case and a trailing dot. The more a pattern pins down, the higher its specificity.
 */
record SitePattern(String text, String suffix, boolean any, boolean wildcard) {

    static SitePattern parse(String key, String raw) {
        String t = normalise(raw);
        if (t.isEmpty()) {
            throw new IllegalArgumentException(key + ": empty pattern");
        }
        if (t.equals("*")) {
            return new SitePattern(t, "", true, true);
        }
        if (t.startsWith("*.")) {
            String suffix = t.substring(1);
            if (suffix.length() < 2 || suffix.indexOf('*') >= 0) {
                throw new IllegalArgumentException(key + ": pattern '" + raw + "' must be *, *.domain or a name");
            }
            return new SitePattern(t, suffix, false, true);
        }
        if (t.indexOf('*') >= 0) {
            throw new IllegalArgumentException(key + ": pattern '" + raw + "' may only start with '*.'");
        }
        return new SitePattern(t, "", false, false);
    }

    boolean matches(String name) {
        if (any) {
            return true;
        }
        String n = normalise(name);
        return wildcard ? n.endsWith(suffix) : n.equals(text);
    }

    /** 0 for {@code *}; a wildcard ranks by its suffix length; an exact name beats every wildcard. */
    int specificity() {
        if (any) {
            return 0;
        }
        return wildcard ? 1 + suffix.length() : 100_000 + text.length();
    }

    static String normalise(String name) {
        String t = name.trim().toLowerCase(Locale.ROOT);
        return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    }
}
