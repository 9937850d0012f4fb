package dev.sluice.shell;

import dev.sluice.api.audit.AuditLine;
import java.time.Clock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per admin command on the {@code dev.sluice.audit} logger: who, what, on what, when, result. The
 * Gogo shell has no login, so "who" is the operating-system account that runs Sluice.
 */
final class Audit {

    private static final Logger LOG = LoggerFactory.getLogger(AuditLine.LOGGER);

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
        sink.accept(AuditLine.format(clock.instant(), "shell", user, action, target, result));
    }
}
