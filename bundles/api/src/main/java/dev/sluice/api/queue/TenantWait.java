package dev.sluice.api.queue;

import java.util.Objects;

/**
 * Messages of one tenant (or campaign) that wait aside for one site because the tenant's own budget is used up.
 *
 * @param tenant the tenant key the traffic shaper gave the messages
 * @param site the site they wait for, as the traffic shaper names it
 * @param messages how many wait (each counted once, whatever its recipients)
 * @since 1.2
 */
public record TenantWait(String tenant, String site, int messages) {

    public TenantWait {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(site, "site");
        if (messages < 1) {
            throw new IllegalArgumentException("messages must be at least 1: " + messages);
        }
    }
}
