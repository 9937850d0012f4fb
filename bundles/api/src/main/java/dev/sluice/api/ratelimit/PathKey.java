package dev.sluice.api.ratelimit;

import java.util.Objects;

/** An egress path: a destination site reached from one egress source. Outbound limits apply per path. */
public record PathKey(String site, String source) {

    public PathKey {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String toString() {
        return source + "->" + site;
    }
}
