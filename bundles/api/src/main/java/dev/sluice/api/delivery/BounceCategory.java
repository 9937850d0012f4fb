package dev.sluice.api.delivery;

/** The documented classes of delivery failures, derived from the enhanced status code and the reply text. */
public enum BounceCategory {
    BAD_MAILBOX, BAD_DOMAIN, INACTIVE_MAILBOX, QUOTA, POLICY, SPAM, RATE_LIMITED, TLS, DNS, ROUTING, CONTENT,
    NETWORK, PROTOCOL, OTHER;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
