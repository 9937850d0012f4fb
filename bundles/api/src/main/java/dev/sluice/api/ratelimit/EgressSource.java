package dev.sluice.api.ratelimit;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A source for outbound connections: local address to bind and the EHLO name to announce.
 *
 * @param bindAddress the local address, or null to let the OS choose
 */
public record EgressSource(String name, InetAddress bindAddress, String ehloName) {

    public EgressSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ehloName, "ehloName");
        if (name.isEmpty() || ehloName.isEmpty()) {
            throw new IllegalArgumentException("egress source name and EHLO name must not be empty");
        }
    }
}
