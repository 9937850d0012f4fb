package dev.sluice.api.mail;

/** The DSN {@code NOTIFY} keywords of RFC 3461 §4.1. {@link #NEVER} is never combined with others. */
public enum Notify {
    NEVER, SUCCESS, FAILURE, DELAY
}
