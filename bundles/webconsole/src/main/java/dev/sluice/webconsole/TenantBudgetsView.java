package dev.sluice.webconsole;

import static dev.sluice.webconsole.Html.attr;
import static dev.sluice.webconsole.Html.text;

import dev.sluice.api.queue.TenantWait;
import dev.sluice.api.ratelimit.TenantBudgetLine;
import dev.sluice.api.ratelimit.TenantBudgetStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

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
        pw.print("<table class='nicetable' id='sluice-tenants'><thead><tr><th>tenant</th><th>site</th><th>rule</th>"
                + "<th>message rate</th><th>tokens left</th><th>next message</th><th>waiting aside</th>"
                + "<th>shared (Redis)</th><th>last used</th></tr></thead><tbody>");
        for (TenantBudgetLine line : TenantBudgetLine.of(budgets, waits)) {
            TenantBudgetStatus b = line.budget();
            String waiting = line.waiting() == null ? "unknown (scheduler not available)" : line.waiting().toString();
            if (b == null) {
                row(pw, line.tenant(), line.site(), "", "", "", "", waiting, "", "");
            } else {
                row(pw, b.tenant(), b.site(), b.rule() == null ? "default (defaultTenantMessageRate)" : b.rule(),
                        b.messageRate().toString(), b.available() + " of " + b.burst(),
                        b.available() > 0 ? "now" : "in " + span(now, b.nextMessage()), waiting,
                        b.shared() ? "yes" : "no", span(b.lastUsed(), now) + " ago");
            }
        }
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
