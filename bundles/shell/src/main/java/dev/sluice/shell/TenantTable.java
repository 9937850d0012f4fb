package dev.sluice.shell;

import dev.sluice.api.queue.TenantWait;
import dev.sluice.api.ratelimit.TenantBudgetStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
        Map<List<String>, Integer> waiting = new HashMap<>();
        if (waits != null) {
            waits.forEach(w -> waiting.put(List.of(w.tenant(), w.site()), w.messages()));
        }
        Table table = new Table("TENANT", "SITE", "RULE", "RATE", "LEFT", "NEXT", "WAITING", "SHARED", "LAST USE");
        budgets.stream().sorted(Comparator.comparing(TenantBudgetStatus::site).thenComparing(TenantBudgetStatus::tenant))
                .forEach(b -> {
                    Integer w = waiting.remove(List.of(b.tenant(), b.site()));
                    table.row(b.tenant(), b.site(), b.rule() == null ? DEFAULT_RULE : b.rule(), b.messageRate(),
                            b.available() + "/" + b.burst(), b.available() > 0 ? "now" : "in " + ago(now, b.nextMessage()),
                            waits == null ? "?" : w == null ? 0 : w, b.shared() ? "yes" : "no",
                            ago(b.lastUsed(), now) + " ago");
                });
        waiting.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.comparing((List<String> k) -> k.get(1))
                .thenComparing(k -> k.get(0)))).forEach(e -> table.row(e.getKey().get(0), e.getKey().get(1), "-", "-",
                "-", "-", e.getValue(), "-", "-"));
        return table;
    }

    /** From {@code from} to {@code to}, never negative: milliseconds, tenths of a second, whole minutes. */
    static String ago(Instant from, Instant to) {
        long millis = Math.max(0, Duration.between(from, to).toMillis());
        return millis < 1000 ? millis + " ms" : millis < 60_000 ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0)
                : millis / 60_000 + " min";
    }
}
