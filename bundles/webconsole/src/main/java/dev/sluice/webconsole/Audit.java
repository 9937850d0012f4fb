package dev.sluice.webconsole;

import java.time.Clock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One line per admin action on the {@code dev.sluice.audit} logger: who, what, on what, when, result. */
final class Audit {

    private static final Logger LOG = LoggerFactory.getLogger("dev.sluice.audit");

    private final Consumer<String> sink;
    private final Clock clock;

    Audit(Consumer<String> sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    static Audit toLog() {
        return new Audit(LOG::info, Clock.systemUTC());
    }

    void record(String user, String action, String target, String result) {
        sink.accept("at=" + clock.instant() + " via=console user=" + clean(user) + " action=" + clean(action)
                + " target=" + clean(target) + " result=" + clean(result));
    }

    /** User-supplied values must not forge extra audit lines. */
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
