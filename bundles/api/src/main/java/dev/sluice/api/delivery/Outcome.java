package dev.sluice.api.delivery;

/** What one attempt did for one recipient: 2xx delivered, 4xx deferred, 5xx bounced. */
public enum Outcome {
    DELIVERED, DEFERRED, BOUNCED
}
