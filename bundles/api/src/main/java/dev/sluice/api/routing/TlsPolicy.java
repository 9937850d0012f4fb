package dev.sluice.api.routing;

/** How the SMTP client uses TLS on a route. */
public enum TlsPolicy {
    /** Never STARTTLS. */
    NONE,
    /** STARTTLS when offered, any certificate; clear text when not offered. The default. */
    OPPORTUNISTIC,
    /** STARTTLS must succeed, any certificate; otherwise the attempt is deferred. */
    REQUIRED,
    /** STARTTLS must succeed with a PKIX-valid chain whose name matches the host; otherwise deferred. */
    VERIFY
}
