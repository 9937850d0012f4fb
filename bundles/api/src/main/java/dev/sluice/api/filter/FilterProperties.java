package dev.sluice.api.filter;

/**
 * Service properties a filter service may carry. A DS component's configuration properties are also service
 * properties, so an administrator can set any of these in the filter's own {@code deploy/<pid>.cfg} (the pid is
 * the component name unless the filter says otherwise), without the filter's author doing anything.
 * Ordering uses the standard {@code service.ranking} (highest first). {@link FilterSettings#of} is how the
 * core reads them.
 */
public final class FilterProperties {

    /** A short name for logs and the console. Defaults to the component name. */
    public static final String NAME = "sluice.filter.name";

    /**
     * How long the core waits for the verdict, in milliseconds (a Number or a String of digits), 1 to
     * {@link FilterSettings#MAX_TIMEOUT_MILLIS}. Default {@value #DEFAULT_TIMEOUT_MILLIS}.
     */
    public static final String TIMEOUT_MILLIS = "sluice.filter.timeout.ms";

    /**
     * What a throw, a failed or null stage, a timeout or the filter's unregistration during a call means:
     * {@value #FAIL_CLOSED} (the default: temporary failure, {@code 451 4.3.0} to the client or a deferral before
     * delivery) or {@value #FAIL_OPEN} (skip the filter, as if it had answered Continue).
     */
    public static final String FAILURE_MODE = "sluice.filter.failure";

    /**
     * {@code true} (a Boolean, or the String {@code "true"} as written in a {@code .cfg} file) declares that every
     * call of the filter returns at once, on the calling thread, with a completed stage, and never blocks: no
     * disk or network I/O, no waiting for a lock that is held for long, no heavy computation (an in-memory lookup
     * is the typical case). The core then calls it in place, on whatever Sluice thread runs the phase (the SMTP
     * listener's network I/O thread for the connect, HELO, MAIL and RCPT hooks), instead of handing each call to
     * a filter thread under a timer and the verdict back: two thread hand-offs and a timer less per call. A stage
     * that is not complete after all is still waited for under {@link #TIMEOUT_MILLIS}, and a throw still counts
     * as a failure; but a filter that blocks holds up every connection of the thread it runs on, so declare
     * only what is true. Default {@code false}.
     *
     * @since 1.4
     */
    public static final String NON_BLOCKING = "sluice.filter.nonblocking";

    public static final String FAIL_CLOSED = "closed";
    public static final String FAIL_OPEN = "open";

    public static final int DEFAULT_TIMEOUT_MILLIS = 5000;

    private FilterProperties() {
    }
}
