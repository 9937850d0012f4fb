package dev.sluice.api.queue;

/** Where one recipient of a queued message stands. The last three are final. */
public enum RecipientStatus {
    /** Not yet attempted. */
    PENDING,
    /** Attempted and failed temporarily; due again at its next-attempt time. */
    DEFERRED,
    DELIVERED,
    BOUNCED,
    /** Its lifetime ran out before delivery; treated as bounced. */
    EXPIRED;

    public boolean isFinal() {
        return this == DELIVERED || this == BOUNCED || this == EXPIRED;
    }
}
