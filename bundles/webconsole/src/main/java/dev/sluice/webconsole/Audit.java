package dev.sluice.webconsole;

import dev.sluice.api.audit.AuditLine;
import java.time.Clock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One line per admin action on the {@code dev.sluice.audit} logger: who, what, on what, when, result. */
final class Audit {

    private static final Logger LOG = LoggerFactory.getLogger(AuditLine.LOGGER);

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
        sink.accept(AuditLine.format(clock.instant(), "console", user, action, target, result));
    }
}
