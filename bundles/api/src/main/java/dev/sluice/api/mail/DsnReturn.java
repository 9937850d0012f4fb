package dev.sluice.api.mail;

/** The DSN {@code RET} parameter of RFC 3461 §4.3; {@link #UNSPECIFIED} when the client gave none. */
public enum DsnReturn {
    UNSPECIFIED, FULL, HEADERS
}
