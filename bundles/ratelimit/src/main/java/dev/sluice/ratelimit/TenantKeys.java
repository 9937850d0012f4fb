package dev.sluice.ratelimit;

import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.HeaderField;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where a message's tenant key comes from: header fields (e.g. {@code X-Tenant}, {@code X-Campaign}) and the
 * envelope sender's domain, tried in the configured order; the first that gives a value wins.
 */
final class TenantKeys {

    static final TenantKeys NONE = new TenantKeys(List.of());
    /** Longer keys are cut: a key names buckets here and in Redis, so a sender must not make them huge. */
    static final int MAX_LENGTH = 64;
    static final String SENDER_DOMAIN = "senderDomain";
    private static final String HEADER = "header:";

    /** A header field's name in lower case, or "" for the sender's domain. */
    private final List<String> sources;
    private final Set<String> headers;

    private TenantKeys(List<String> sources) {
        this.sources = sources;
        Set<String> h = new LinkedHashSet<>();
        sources.stream().filter(s -> !s.isEmpty()).forEach(h::add);
        this.headers = Set.copyOf(h);
    }

    /** @throws IllegalArgumentException naming {@code tenantKeys} and the entry that is neither form */
    static TenantKeys parse(String[] raw) {
        List<String> sources = new ArrayList<>();
        for (String r : raw == null ? new String[0] : raw) {
            for (String part : r.split(",")) { // the web console hands a list as one string when it has one field
                String t = part.trim();
                if (t.isEmpty()) {
                    continue;
                }
                if (t.equalsIgnoreCase(SENDER_DOMAIN)) {
                    sources.add("");
                } else if (t.regionMatches(true, 0, HEADER, 0, HEADER.length())
                        && t.substring(HEADER.length()).trim().matches("[!-9;-~]+")) {
                    sources.add(t.substring(HEADER.length()).trim().toLowerCase(Locale.ROOT));
                } else {
                    throw new IllegalArgumentException("tenantKeys: '" + t + "' is neither header:FIELD-NAME (e.g. "
                            + "header:X-Tenant) nor " + SENDER_DOMAIN);
                }
            }
        }
        return sources.isEmpty() ? NONE : new TenantKeys(List.copyOf(sources));
    }

    /** The header fields (lower case) read for the key. */
    Set<String> headers() {
        return headers;
    }

    boolean none() {
        return sources.isEmpty();
    }

    /** The message's tenant key, or null when no configured source gives one. */
    String tenantOf(Envelope envelope, List<HeaderField> fields) {
        for (String source : sources) {
            String raw = source.isEmpty() ? senderDomain(envelope) : header(fields, source);
            String key = normalise(raw);
            if (key != null) {
                return key;
            }
        }
        return null;
    }

    private static String senderDomain(Envelope envelope) {
        return envelope == null ? null : envelope.sender().address().map(a -> a.asciiDomain()).orElse(null);
    }

    private static String header(List<HeaderField> fields, String name) {
        if (fields == null) {
            return null;
        }
        for (HeaderField f : fields) {
            if (f.hasName(name)) {
                return f.value();
            }
        }
        return null;
    }

    /**
     * Lower case, unfolded, trimmed; characters other than letters, digits and {@code . _ @ + = -} become {@code _}
     * (keys go into bucket names and logs); at most {@link #MAX_LENGTH}; null when nothing is left.
     */
    static String normalise(String raw) {
        if (raw == null) {
            return null;
        }
        String t = raw.replace("\r\n", "").trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(t.length(), MAX_LENGTH));
        for (int i = 0; i < t.length() && out.length() < MAX_LENGTH; i++) {
            char c = t.charAt(i);
            boolean plain = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || ".-_@+=".indexOf(c) >= 0;
            out.append(plain ? c : '_');
        }
        return out.toString();
    }
}
