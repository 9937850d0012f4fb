package dev.sluice.shell;

import java.time.Clock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per admin command on the {@code dev.sluice.audit} logger: who, what, on what, when, result. The
 * Gogo shell has no login, so "who" is the operating-system account that runs Sluice.
 */
final class Audit {

    private static final Logger LOG = LoggerFactory.getLogger("dev.sluice.audit");

    private final Consumer<String> sink;
    private final Clock clock;
    private final String user;

    Audit(Consumer<String> sink, Clock clock, String user) {
        this.sink = sink;
        this.clock = clock;
        this.user = user;
    }

    static Audit toLog() {
        return new Audit(LOG::info, Clock.systemUTC(), System.getProperty("user.name", "unknown"));
    }

    void record(String action, String target, String result) {
        sink.accept("at=" + clock.instant() + " via=shell user=" + clean(user) + " action=" + clean(action)
                + " target=" + clean(target) + " result=" + clean(result));
    }

    /** Arguments must not forge extra audit lines. */
    static String clean(String value) {
        if (value == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c == '"' ? '\'' : c);
        }
        return out.append('"').toString();
    }
}
