package dev.sluice.api.ratelimit;

import java.util.Objects;

/**
 * An egress path: a destination site reached from one egress source. Outbound limits apply per path.
 *
 * <p>A path may carry the message's tenant key (a tenant, campaign or sender domain, see
 * {@link TrafficShaper#path}): message tokens are then also taken from that tenant's budget for the site.
 * Connections, their slots and every other limit belong to the path without the tenant ({@link #egress()}), so
 * the messages of every tenant share the connections to a site.
 *
 * @param tenant the tenant key, or null for none
 * @since 1.1 (tenant)
 */
public record PathKey(String site, String source, String tenant) {

    public PathKey {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(source, "source");
    }

    /** A path without a tenant key (the only kind before 1.1). */
    public PathKey(String site, String source) {
        this(site, source, null);
    }

    /** The path without its tenant key: what connections, slots and the path's own limits are counted for. */
    public PathKey egress() {
        return tenant == null ? this : new PathKey(site, source);
    }

    @Override
    public String toString() {
        return source + "->" + site + (tenant == null ? "" : " [" + tenant + "]");
    }
}
