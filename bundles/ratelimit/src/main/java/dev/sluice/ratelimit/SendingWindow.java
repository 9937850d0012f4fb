package dev.sluice.ratelimit;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

/** Hours of the day (in a time zone) during which a path may send; {@code end < start} spans midnight. */
record SendingWindow(LocalTime start, LocalTime end, ZoneId zone) {

    static final SendingWindow ALWAYS = new SendingWindow(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, ZoneId.of("UTC"));

    /** Empty start and end: always open. */
    static SendingWindow parse(String start, String end, String zone) {
        if (start.isBlank() && end.isBlank()) {
            return ALWAYS;
        }
        ZoneId z;
        try {
            z = ZoneId.of(zone.isBlank() ? "UTC" : zone.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("windowTimeZone: unknown time zone '" + zone + "'", e);
        }
        LocalTime s = time("windowStart", start);
        LocalTime e = time("windowEnd", end);
        if (s.equals(e)) {
            throw new IllegalArgumentException("windowEnd: equals windowStart '" + start + "' (leave both empty for always)");
        }
        return new SendingWindow(s, e, z);
    }

    private static LocalTime time(String key, String text) {
        try {
            return LocalTime.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key + ": '" + text + "' is not a time HH:mm", e);
        }
    }

    boolean always() {
        return start.equals(end);
    }

    boolean isOpen(Instant now) {
        if (always()) {
            return true;
        }
        LocalTime t = now.atZone(zone).toLocalTime();
        return start.isBefore(end)
                ? !t.isBefore(start) && t.isBefore(end)
                : !t.isBefore(start) || t.isBefore(end);
    }

    /** {@code now} when open, else the next start of the window. */
    Instant nextOpen(Instant now) {
        if (isOpen(now)) {
            return now;
        }
        ZonedDateTime local = now.atZone(zone);
        ZonedDateTime candidate = local.with(start).withNano(0);
        if (!candidate.isAfter(local)) {
            candidate = candidate.plusDays(1).with(start);
        }
        return candidate.toInstant();
    }

    /**
     * The first instant from {@code from} on at which both windows are open; {@code from} when they are. Two daily
     * windows meet within a day or never, so a few rounds settle it; windows that never overlap give the last try.
     */
    static Instant nextOpenInBoth(SendingWindow a, SendingWindow b, Instant from) {
        Instant t = from;
        for (int i = 0; i < 8; i++) {
            Instant inA = a.nextOpen(t);
            Instant inBoth = b.nextOpen(inA);
            if (inBoth.equals(inA)) {
                return inA;
            }
            t = inBoth;
        }
        return t;
    }

    @Override
    public String toString() {
        return always() ? "always" : start + "-" + end + " " + zone;
    }
}
