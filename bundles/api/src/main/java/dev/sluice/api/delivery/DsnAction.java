package dev.sluice.api.delivery;

/** The {@code Action} field of an RFC 3464 per-recipient section. */
public enum DsnAction {
    FAILED, DELAYED, DELIVERED, RELAYED, EXPANDED;

    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
