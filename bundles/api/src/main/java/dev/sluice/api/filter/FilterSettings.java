package dev.sluice.api.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How the core reads a filter service's properties ({@link FilterProperties}); public so that a plugin author
 * can check in a unit test what Sluice will make of them. A wrong value never stops the filter from running:
 * the default is used and {@link #problems()} says what was wrong, naming the key (the core logs it).
 *
 * @param name the filter's name for logs: {@link FilterProperties#NAME}, else {@code component.name}, else the
 *        fallback
 * @param ranking {@code service.ranking}; an Integer, or a String of digits as written in a {@code .cfg} file
 * @param timeoutMillis {@link FilterProperties#TIMEOUT_MILLIS}, 1 to {@link #MAX_TIMEOUT_MILLIS}
 * @param failOpen true when {@link FilterProperties#FAILURE_MODE} is {@value FilterProperties#FAIL_OPEN}
 * @param nonBlocking true when {@link FilterProperties#NON_BLOCKING} is {@code true} (since 1.4)
 * @since 1.1
 */
public record FilterSettings(String name, int ranking, long timeoutMillis, boolean failOpen, List<String> problems,
                             boolean nonBlocking) {

    /** Ten minutes: longer than any SMTP client waits for a reply (RFC 5321 §4.5.3.2). */
    public static final long MAX_TIMEOUT_MILLIS = 600_000;

    public FilterSettings {
        Objects.requireNonNull(name, "name");
        problems = List.copyOf(problems);
    }

    /** The 1.1 constructor: a filter that may block. */
    public FilterSettings(String name, int ranking, long timeoutMillis, boolean failOpen, List<String> problems) {
        this(name, ranking, timeoutMillis, failOpen, problems, false);
    }

    /** Reads service properties; {@code fallbackName} names a filter that has neither name property. */
    public static FilterSettings of(Map<String, ?> properties, String fallbackName) {
        List<String> problems = new ArrayList<>();
        Object name = properties.get(FilterProperties.NAME);
        if (name == null) {
            name = properties.get("component.name");
        }
        return new FilterSettings(name == null ? fallbackName : name.toString(),
                ranking(properties.get("service.ranking"), problems), timeout(properties, problems),
                failOpen(properties, problems), problems, nonBlocking(properties.get(FilterProperties.NON_BLOCKING),
                problems));
    }

    private static boolean nonBlocking(Object value, List<String> problems) {
        if (value == null || value instanceof Boolean) {
            return Boolean.TRUE.equals(value);
        }
        String text = value.toString().strip().toLowerCase(Locale.ROOT);
        if (!text.equals("true") && !text.equals("false")) {
            problems.add(FilterProperties.NON_BLOCKING + " must be 'true' or 'false', got '" + value
                    + "'; calling it on a filter thread");
        }
        return text.equals("true");
    }

    private static int ranking(Object value, List<String> problems) {
        if (value == null || value instanceof Integer) {
            return value == null ? 0 : (Integer) value;
        }
        try {
            return Integer.parseInt(value.toString().strip());
        } catch (NumberFormatException e) {
            problems.add("service.ranking must be an integer, got '" + value + "'; using 0");
            return 0;
        }
    }

    private static long timeout(Map<String, ?> properties, List<String> problems) {
        Object value = properties.get(FilterProperties.TIMEOUT_MILLIS);
        if (value == null) {
            return FilterProperties.DEFAULT_TIMEOUT_MILLIS;
        }
        long millis;
        try {
            millis = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().strip());
        } catch (NumberFormatException e) {
            millis = -1;
        }
        if (millis < 1 || millis > MAX_TIMEOUT_MILLIS) {
            problems.add(FilterProperties.TIMEOUT_MILLIS + " must be 1 to " + MAX_TIMEOUT_MILLIS + " ms, got '"
                    + value + "'; using " + FilterProperties.DEFAULT_TIMEOUT_MILLIS);
            return FilterProperties.DEFAULT_TIMEOUT_MILLIS;
        }
        return millis;
    }

    private static boolean failOpen(Map<String, ?> properties, List<String> problems) {
        Object value = properties.get(FilterProperties.FAILURE_MODE);
        String mode = value == null ? FilterProperties.FAIL_CLOSED : value.toString().strip().toLowerCase(Locale.ROOT);
        if (!mode.equals(FilterProperties.FAIL_OPEN) && !mode.equals(FilterProperties.FAIL_CLOSED)) {
            problems.add(FilterProperties.FAILURE_MODE + " must be '" + FilterProperties.FAIL_OPEN + "' or '"
                    + FilterProperties.FAIL_CLOSED + "', got '" + value + "'; failing closed");
            return false;
        }
        return mode.equals(FilterProperties.FAIL_OPEN);
    }
}
