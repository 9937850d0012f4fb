package dev.sluice.ratelimit;

import dev.sluice.api.mail.Reply;
import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.ratelimit.Suspension;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/** Suspensions as the one-line records nodes share through Redis; a record that does not parse is ignored. */
final class Records {

    private static final String SEP = "\u001f";
    private static final Pattern NEVER = Pattern.compile("(?!)");

    private Records() {
    }

    static String encode(Adjustment a) {
        BackoffRule r = a.rule();
        Reply t = a.trigger();
        return String.join(SEP, "A", r.name(), r.action().name(), micros(a.since()), micros(a.holdUntil()),
                Integer.toString(a.connections()), Long.toString(a.messagePermits()),
                Long.toString(r.recoveryInterval().toSeconds()), Integer.toString(r.recoveryConnections()),
                Integer.toString(r.recoveryRatePercent()), Integer.toString(t.code()),
                t.enhancedStatus() == null ? "" : t.enhancedStatus(), t.text().replace(SEP, " "));
    }

    static String encode(Suspension manual) {
        return String.join(SEP, "M", micros(manual.since()), micros(manual.until()), manual.action().replace(SEP, " "));
    }

    /** The adjustment in {@code record}, marked shared, or null. */
    static Adjustment adjustment(PathKey path, String record) {
        try {
            String[] f = record.split(SEP, -1);
            if (f.length != 13 || !f[0].equals("A")) {
                return null;
            }
            BackoffRule rule = new BackoffRule(f[1], NEVER, BackoffRule.Action.valueOf(f[2]), 1, Duration.ofMinutes(1),
                    Duration.between(instant(f[3]), instant(f[4])), Duration.ofSeconds(Long.parseLong(f[7])),
                    Integer.parseInt(f[8]), Integer.parseInt(f[9]), java.util.List.of());
            Reply trigger = Reply.of(Integer.parseInt(f[10]), f[11].isEmpty() ? null : f[11], f[12]);
            return new Adjustment(path, rule, trigger, instant(f[3]), instant(f[4]), Integer.parseInt(f[5]),
                    Long.parseLong(f[6]), true);
        } catch (IllegalArgumentException | ArithmeticException e) {
            return null;
        }
    }

    /** The operator suspension in {@code record}, or null. */
    static Suspension manual(String site, String record) {
        try {
            String[] f = record.split(SEP, -1);
            if (f.length != 4 || !f[0].equals("M")) {
                return null;
            }
            return new Suspension(new PathKey(site, Backoff.SITE_WIDE), "operator", null, instant(f[1]), instant(f[2]),
                    f[3]);
        } catch (IllegalArgumentException | ArithmeticException e) {
            return null;
        }
    }

    private static String micros(Instant t) {
        return Long.toString(RateGate.micros(t));
    }

    private static Instant instant(String micros) {
        return RateGate.instant(Long.parseLong(micros));
    }
}
