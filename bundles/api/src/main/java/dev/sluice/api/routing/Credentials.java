package dev.sluice.api.routing;

import java.util.Objects;

/** SMTP AUTH credentials for a smarthost. {@link #toString()} never shows the password. */
public record Credentials(String username, String password) {

    public Credentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (username.isEmpty()) {
            throw new IllegalArgumentException("empty username");
        }
    }

    @Override
    public String toString() {
        return "Credentials[" + username + ", ****]";
    }
}
