package dev.sluice.webconsole;

import static dev.sluice.webconsole.Html.attr;
import static dev.sluice.webconsole.Html.text;

import dev.sluice.api.queue.TenantWait;
import dev.sluice.api.ratelimit.TenantBudgetStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tenant budgets table of the Destinations page: each budget the shaper used lately, with the messages the
 * scheduler holds aside for it (the shaper does not know them). Mail can wait for a budget the shaper no longer lists
 * (its rule was removed meanwhile), so such waits get a row too.
 */
final class TenantBudgetsView {

    private TenantBudgetsView() {
    }

    /** @param waits null while the queue admin (scheduler) is not available */
    static void render(PrintWriter pw, List<TenantBudgetStatus> budgets, List<TenantWait> waits, Instant now) {
        pw.print("<h4>Tenant budgets used lately</h4>");
        if (budgets.isEmpty() && (waits == null || waits.isEmpty())) {
            pw.println("<p class='statline'>No tenant budget was used lately.</p>");
            return;
        }
        Map<List<String>, Integer> waiting = new HashMap<>();
        if (waits != null) {
            waits.forEach(w -> waiting.put(List.of(w.tenant(), w.site()), w.messages()));
        }
        pw.print("<table class='nicetable' id='sluice-tenants'><thead><tr><th>tenant</th><th>site</th><th>rule</th>"
                + "<th>message rate</th><th>tokens left</th><th>next message</th><th>waiting aside</th>"
                + "<th>shared (Redis)</th><th>last used</th></tr></thead><tbody>");
        budgets.stream().sorted(Comparator.comparing(TenantBudgetStatus::site).thenComparing(TenantBudgetStatus::tenant))
                .forEach(b -> {
                    Integer w = waiting.remove(List.of(b.tenant(), b.site()));
                    row(pw, b.tenant(), b.site(), b.rule() == null ? "default (defaultTenantMessageRate)" : b.rule(),
                            b.messageRate().toString(), b.available() + " of " + b.burst(),
                            b.available() > 0 ? "now" : "in " + span(now, b.nextMessage()),
                            waits == null ? "unknown (scheduler not available)" : String.valueOf(w == null ? 0 : w),
                            b.shared() ? "yes" : "no", span(b.lastUsed(), now) + " ago");
                });
        waiting.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.comparing((List<String> k) -> k.get(1))
                .thenComparing(k -> k.get(0)))).forEach(e -> row(pw, e.getKey().get(0), e.getKey().get(1), "", "", "",
                "", String.valueOf(e.getValue()), "", ""));
        pw.println("</tbody></table>");
    }

    private static void row(PrintWriter pw, String tenant, String site, String... cells) {
        StringBuilder out = new StringBuilder("<tr data-tenant='").append(attr(tenant)).append("' data-tenant-site='")
                .append(attr(site)).append("'><td>").append(text(tenant)).append("</td><td>").append(text(site));
        for (String cell : cells) {
            out.append("</td><td>").append(text(cell));
        }
        pw.println(out.append("</td></tr>"));
    }

    /** Never negative: milliseconds, tenths of a second, whole minutes. */
    static String span(Instant from, Instant to) {
        long millis = Math.max(0, Duration.between(from, to).toMillis());
        return millis < 1000 ? millis + " ms" : millis < 60_000 ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0)
                : millis / 60_000 + " min";
    }
}
