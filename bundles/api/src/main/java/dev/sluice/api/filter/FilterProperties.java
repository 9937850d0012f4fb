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

    public static final String FAIL_CLOSED = "closed";
    public static final String FAIL_OPEN = "open";

    public static final int DEFAULT_TIMEOUT_MILLIS = 5000;

    private FilterProperties() {
    }
}
