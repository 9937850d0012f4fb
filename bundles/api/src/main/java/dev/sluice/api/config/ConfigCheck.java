package dev.sluice.api.config;

import java.util.Locale;

/**
 * The range checks behind every {@code @AttributeDefinition(min, max, options)}: Configuration Admin stores any
 * value, whatever the MetaType says, so a component checks its own. Each throws {@link IllegalArgumentException}
 * with the message {@code "<key>: must be <min> to <max>, was <value>"} (or {@code is not one of}); thrown from an
 * {@code @Activate} constructor it fails the component, and SCR logs the message at ERROR.
 */
public final class ConfigCheck {

    private ConfigCheck() {
    }

    /** The value when it lies in [min, max]; keep the bounds equal to the key's MetaType min and max. */
    public static int between(String key, int value, int min, int max) {
        return (int) between(key, (long) value, min, max);
    }

    public static long between(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + ": must be " + min + " to " + max + ", was " + value);
        }
        return value;
    }

    /** As for whole numbers; NaN is out of every range. */
    public static double between(String key, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(key + ": must be " + plain(min) + " to " + plain(max) + ", was "
                    + plain(value));
        }
        return value;
    }

    /**
     * The allowed value that {@code value} names, ignoring case and surrounding blanks; keep {@code allowed} equal to
     * the key's MetaType options.
     */
    public static String oneOf(String key, String value, String... allowed) {
        String given = value == null ? "" : value.strip();
        for (String a : allowed) {
            if (a.toLowerCase(Locale.ROOT).equals(given.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException(key + ": '" + value + "' is not one of " + String.join(", ", allowed));
    }

    /** 0.5 rather than 5.0E-1, 8760 rather than 8760.0: as an operator writes it. */
    private static String plain(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return Double.toString(d);
        }
        return d == Math.rint(d) ? Long.toString((long) d)
                : java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
}
