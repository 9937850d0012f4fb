package dev.sluice.api.filter;

import dev.sluice.api.mail.ClientIdentity;
import java.util.Objects;

/** An EHLO ({@code extended}) or HELO with its argument. */
public record HeloRequest(ClientIdentity client, String helo, boolean extended) {
    public HeloRequest {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(helo, "helo");
    }
}
