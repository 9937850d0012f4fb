package dev.sluice.api.filter;

import dev.sluice.api.mail.ClientIdentity;
import java.util.Objects;

/** A new SMTP connection, before the greeting. */
public record ConnectRequest(ClientIdentity client) {
    public ConnectRequest {
        Objects.requireNonNull(client, "client");
    }
}
