package dev.sluice.smtp.server.auth;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The SMTP AUTH users of one listener: {@code user:hash} entries from configuration. */
public final class UserDirectory {


    private final Map<String, PasswordHash> users;
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
        return hash.matches(password);
    }
}
