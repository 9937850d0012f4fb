package dev.sluice.shell;

import dev.sluice.api.queue.TenantWait;
import dev.sluice.api.ratelimit.TenantBudgetLine;
import dev.sluice.api.ratelimit.TenantBudgetStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The tenant section of {@code sluice:destinations}: each tenant budget used lately, with the messages waiting aside
 * for it (from the scheduler; the shaper does not know them). Mail can wait for a budget the shaper no longer lists
 * (its rule was removed while the scheduler still holds the mail), so such waits get a row too.
 */
final class TenantTable {

    /** What the RULE column says when the shaper's defaultTenantMessageRate applies. */
    static final String DEFAULT_RULE = "(default)";

    private TenantTable() {
    }

    /** @param waits null while the queue admin (scheduler) is not available */
    static Table of(List<TenantBudgetStatus> budgets, List<TenantWait> waits, Instant now) {
        Table table = new Table("TENANT", "SITE", "RULE", "RATE", "LEFT", "NEXT", "WAITING", "SHARED", "LAST USE");
        for (TenantBudgetLine line : TenantBudgetLine.of(budgets, waits)) {
            TenantBudgetStatus b = line.budget();
            Object waiting = line.waiting() == null ? "?" : line.waiting();
            if (b == null) {
                table.row(line.tenant(), line.site(), "-", "-", "-", "-", waiting, "-", "-");
            } else {
                table.row(b.tenant(), b.site(), b.rule() == null ? DEFAULT_RULE : b.rule(), b.messageRate(),
                        b.available() + "/" + b.burst(), b.available() > 0 ? "now" : "in " + ago(now, b.nextMessage()),
                        waiting, b.shared() ? "yes" : "no", ago(b.lastUsed(), now) + " ago");
            }
        }
        return table;
    }

    /** From {@code from} to {@code to}, never negative: milliseconds, tenths of a second, whole minutes. */
    static String ago(Instant from, Instant to) {
        long millis = Math.max(0, Duration.between(from, to).toMillis());
        return millis < 1000 ? millis + " ms" : millis < 60_000 ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0)
                : millis / 60_000 + " min";
    }
}
