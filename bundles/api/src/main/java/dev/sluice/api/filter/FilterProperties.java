package dev.sluice.api.filter;

/**
 * Service properties a filter service may carry. Values may also come from the filter's configuration.
 * Ordering uses the standard {@code service.ranking} (highest first).
 */
public final class FilterProperties {

    /** A short name for logs and the console. Defaults to the component name. */
    public static final String NAME = "sluice.filter.name";

    /** How long the core waits for the verdict, in milliseconds (Integer or String). Default 5000. */
    public static final String TIMEOUT_MILLIS = "sluice.filter.timeout.ms";

    /**
     * What a throw, a failed stage or a timeout means: {@value #FAIL_CLOSED} (the default: temporary failure,
     * {@code 451 4.3.0} to the client or a deferral before delivery) or {@value #FAIL_OPEN} (skip the filter).
     */
    public static final String FAILURE_MODE = "sluice.filter.failure";

    public static final String FAIL_CLOSED = "closed";
    public static final String FAIL_OPEN = "open";

    public static final int DEFAULT_TIMEOUT_MILLIS = 5000;

    private FilterProperties() {
    }
}
