package dev.sluice.filter.dkim;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import dev.sluice.api.mail.HeaderField;
import dev.sluice.api.mail.MessageContent;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Makes the DKIM-Signature field for a message: body hash streamed from the content, header fields taken
 * from the bytes as they will be sent. Never l= (a length limit lets anyone append to a signed body).
 */
final class Signer {

    static final String FIELD = "DKIM-Signature";
    private static final int LINE = 76;

    /** What a configuration fixes; header names in configured order, oversigned ones in lower case. */
    record Settings(String domain, String selector, Canonicalization headerCanon, Canonicalization bodyCanon,
                    List<String> headers, Set<String> oversign, long expireSeconds) {
    }

    private final Settings settings;
    private final SigningKey key;
    private final Clock clock;
    private final BodyHashCache bodyHashes = new BodyHashCache(1024);

    Signer(Settings settings, SigningKey key, Clock clock) {
        this.settings = settings;
        this.key = key;
        this.clock = clock;
    }

    SigningKey key() {
        return key;
    }

    Settings settings() {
        return settings;
    }

    /**
     * Signs the content as it is now. {@code messageKey} identifies an unchanging body (the queue id) so
     * that a second call reads only the header; null always hashes the body.
     */
    HeaderField sign(String messageKey, MessageContent content) throws IOException, GeneralSecurityException {
        try (InputStream in = new BufferedInputStream(content.openStream(), 64 * 1024)) {
            RawHeader header = RawHeader.read(in);
            String cacheKey = messageKey == null ? null
                    : messageKey + '/' + settings.bodyCanon().tag() + '/' + (content.size() - header.length());
            byte[] bodyHash = cacheKey == null ? null : bodyHashes.get(cacheKey);
            if (bodyHash == null) {
                bodyHash = bodyHash(in, settings.bodyCanon());
                if (cacheKey != null) {
                    bodyHashes.put(cacheKey, bodyHash);
                }
            }
            return signature(header, bodyHash);
        }
    }

    static byte[] bodyHash(InputStream body, Canonicalization canon) throws IOException {
        MessageDigest sha256 = sha256();
        BodyCanonicalizer out = canon.body(new DigestOutputStream(OutputStream.nullOutputStream(), sha256));
        body.transferTo(out);
        out.finish();
        return sha256.digest();
    }

    HeaderField signature(RawHeader header, byte[] bodyHash) throws GeneralSecurityException {
        List<String> signed = selection(header.fields());
        String unsigned = tags(signed, bodyHash);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        // repeated names take instances bottom-up (RFC 6376 §5.4.2); a name listed beyond them adds nothing
        Map<String, Integer> taken = new HashMap<>();
        for (String name : signed) {
            String lower = name.toLowerCase(Locale.ROOT);
            String field = fromBottom(header.fields(), lower, taken.merge(lower, 1, Integer::sum) - 1);
            if (field != null) {
                data.writeBytes(settings.headerCanon().header(field).getBytes(ISO_8859_1));
            }
        }
        // the signature field itself, b= empty and without its final CRLF (§3.7)
        String self = settings.headerCanon().header(new HeaderField(FIELD, unsigned).toWire());
        data.writeBytes(self.substring(0, self.length() - 2).getBytes(ISO_8859_1));
        return new HeaderField(FIELD, unsigned + fold(Base64.getEncoder().encodeToString(key.sign(data.toByteArray()))));
    }

    /** h=: every present instance of each configured name, plus one more for the oversigned names. */
    List<String> selection(List<String> fields) {
        List<String> signed = new ArrayList<>();
        for (String name : settings.headers()) {
            long present = fields.stream().filter(f -> name.equalsIgnoreCase(RawHeader.name(f))).count();
            long times = present + (settings.oversign().contains(name.toLowerCase(Locale.ROOT)) ? 1 : 0);
            for (long i = 0; i < times; i++) {
                signed.add(name);
            }
        }
        return signed;
    }

    private String tags(List<String> signed, byte[] bodyHash) {
        long now = clock.instant().getEpochSecond();
        StringBuilder t = new StringBuilder(512);
        t.append("v=1; a=").append(key.algorithm().tag).append("; c=").append(settings.headerCanon().tag())
                .append('/').append(settings.bodyCanon().tag()).append("; d=").append(settings.domain())
                .append("; s=").append(settings.selector()).append(";\r\n\tt=").append(now);
        if (settings.expireSeconds() > 0) {
            t.append("; x=").append(now + settings.expireSeconds());
        }
        t.append("; h=");
        for (int i = 0; i < signed.size(); i++) {
            if (i > 0) {
                t.append(':');
            }
            if (t.length() - t.lastIndexOf("\n") + signed.get(i).length() > LINE) {
                t.append("\r\n\t");
            }
            t.append(signed.get(i));
        }
        return t.append(";\r\n\tbh=").append(Base64.getEncoder().encodeToString(bodyHash)).append(";\r\n\tb=")
                .toString();
    }

    private static String fromBottom(List<String> fields, String lowerName, int skip) {
        for (int i = fields.size() - 1; i >= 0; i--) {
            if (lowerName.equalsIgnoreCase(RawHeader.name(fields.get(i))) && skip-- == 0) {
                return fields.get(i);
            }
        }
        return null;
    }

    private static String fold(String base64) {
        StringBuilder out = new StringBuilder(base64.length() + 32);
        int first = Math.min(base64.length(), LINE - 4);
        out.append(base64, 0, first);
        for (int i = first; i < base64.length(); i += LINE - 2) {
            out.append("\r\n\t").append(base64, i, Math.min(base64.length(), i + LINE - 2));
        }
        return out.toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
