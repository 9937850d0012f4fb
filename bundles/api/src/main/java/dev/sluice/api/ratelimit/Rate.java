package dev.sluice.api.ratelimit;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A rate such as {@code "100/s"}, {@code "6,000/h"}, {@code "20/min"} or {@code "5000/d"}: that many
 * permits per period. Parsed once from configuration, never kept as a raw number.
 */
public record Rate(long permits, Duration period) {

    public Rate {
        Objects.requireNonNull(period, "period");
        if (permits <= 0) {
            throw new IllegalArgumentException("a rate needs a positive count");
        }
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("a rate needs a positive period");
        }
    }

    /** @throws IllegalArgumentException naming the text and what is wrong with it */
    public static Rate parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.trim().replace(",", "").replace("_", "");
        int slash = t.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("rate '" + text + "' is not COUNT/UNIT (e.g. 100/s, 6000/h)");
        }
        long count;
        try {
            count = Long.parseLong(t.substring(0, slash).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("rate '" + text + "' has no whole number before '/'", e);
        }
        Duration period = switch (t.substring(slash + 1).trim().toLowerCase(Locale.ROOT)) {
            case "s", "sec", "second" -> Duration.ofSeconds(1);
            case "m", "min", "minute" -> Duration.ofMinutes(1);
            case "h", "hr", "hour" -> Duration.ofHours(1);
            case "d", "day" -> Duration.ofDays(1);
            default -> throw new IllegalArgumentException(
                    "rate '" + text + "' has an unknown unit (use s, min, h or d)");
        };
        if (count <= 0) {
            throw new IllegalArgumentException("rate '" + text + "' needs a positive count");
        }
        return new Rate(count, period);
    }

    /** Permits per second as a double, for token-bucket refill. */
    public double perSecond() {
        return permits * 1_000_000_000d / period.toNanos();
    }

    @Override
    public String toString() {
        String unit = switch ((int) Math.min(Integer.MAX_VALUE, period.toSeconds())) {
            case 1 -> "s";
            case 60 -> "min";
            case 3600 -> "h";
            case 86400 -> "d";
            default -> period.toSeconds() + "s";
        };
        return permits + "/" + unit;
    }
}
