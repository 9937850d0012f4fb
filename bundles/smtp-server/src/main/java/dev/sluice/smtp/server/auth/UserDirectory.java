package dev.sluice.smtp.server.auth;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The SMTP AUTH users of one listener: {@code user:hash} entries from configuration. */
public final class UserDirectory {


    private final Map<String, PasswordHash> users;
    /**
     * SHA-256 of the last password that passed PBKDF2, per user: a sender that authenticates on every connection
     * pays the deliberately slow hash once, not per connection. Memory only, one entry per configured user.
     */
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
    /** Checked for unknown users so that the response time does not reveal which users exist. */
    private final PasswordHash dummy;

    private UserDirectory(Map<String, PasswordHash> users) {
        this.users = Map.copyOf(users);
        this.dummy = users.values().stream().findFirst().orElse(null);
    }

    /** @throws IllegalArgumentException naming the entry that is wrong */
    public static UserDirectory parse(String key, List<String> entries) {
        Map<String, PasswordHash> users = new HashMap<>();
        for (String entry : entries) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int colon = e.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(key + ": entry '" + e + "' is not user:" + PasswordHash.SCHEME + "$...");
            }
            try {
                users.put(e.substring(0, colon), PasswordHash.parse(e.substring(colon + 1)));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(key + ": user " + e.substring(0, colon) + ": " + ex.getMessage(), ex);
            }
        }
        return new UserDirectory(users);
    }

    public boolean isEmpty() {
        return users.isEmpty();
    }

    public boolean authenticate(String user, char[] password) {
        PasswordHash hash = users.get(user);
        if (hash == null) {
            if (dummy != null) {
                dummy.matches(password);
            }
            return false;
        }
        byte[] digest = digest(user, password);
        byte[] known = verified.get(user);
        if (known != null && MessageDigest.isEqual(known, digest)) {
            return true;
        }
        if (hash.matches(password)) {
            verified.put(user, digest);
            return true;
        }
        return false;
    }

    private static byte[] digest(String user, char[] password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(user.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(StandardCharsets.UTF_8.encode(CharBuffer.wrap(password)));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
