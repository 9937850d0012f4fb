package dev.sluice.webconsole;

import static dev.sluice.webconsole.Html.attr;
import static dev.sluice.webconsole.Html.text;

import dev.sluice.api.ratelimit.PathLimits;
import dev.sluice.api.ratelimit.PathStatus;
import dev.sluice.api.ratelimit.Suspension;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The egress paths table and the suspend/resume forms. */
final class DestinationsView {

    private DestinationsView() {
    }

    static void render(PrintWriter pw, List<PathStatus> status, String root, String token, int defaultMinutes) {
        List<PathStatus> paths = new ArrayList<>(status);
        paths.sort(Comparator.comparing((PathStatus p) -> p.path().site()).thenComparing(p -> p.path().source()));
        pw.print("<table class='nicetable' id='sluice-paths'><thead><tr><th>site</th><th>source</th><th>open connections</th>"
                + "<th>messages/min</th><th>deferrals/min</th><th>limits</th><th>suspension</th><th>actions</th>"
                + "</tr></thead><tbody>");
        for (PathStatus p : paths) {
            String site = p.path().site();
            pw.print("<tr data-site='" + attr(site) + "'><td>" + text(site) + "</td><td>" + text(p.path().source())
                    + "</td><td>" + p.openConnections() + "</td><td>" + rate(p.recentMessagesPerMinute()) + "</td><td>"
                    + rate(p.recentDeferralsPerMinute()) + "</td><td>" + text(limits(p.limits())) + "</td><td>"
                    + suspension(p.suspension()) + "</td><td>" + suspendForm(root, token, site, defaultMinutes));
            if (p.suspension() != null) {
                pw.print(Html.actionForm(root, token, Map.of("site", site), "Resume " + site + "?", false, null, "resume"));
            }
            pw.println("</td></tr>");
        }
        pw.println("</tbody></table>");
        if (paths.isEmpty()) {
            pw.println("<p class='statline'>No path has traffic or a suspension.</p>");
        }
        pw.print("<h4>Suspend a site</h4><form method='post' id='sluice-suspend' action='" + attr(root) + "'>"
                + Html.hidden(CsrfTokens.FIELD, token) + "<label>site <input type='text' name='site'></label> "
                + "<label>minutes <input type='number' min='1' name='minutes' value='" + defaultMinutes + "'></label> "
                + "<label>reason <input type='text' name='reason'></label> <button type='submit' name='action' "
                + "value='suspend' class='ui-state-default ui-corner-all'>suspend</button></form>");
    }

    private static String suspendForm(String root, String token, String site, int minutes) {
        return "<form method='post' style='display:inline' action='" + attr(root) + "' onsubmit=\"return window.confirm('"
                + Html.jsInAttr("Suspend " + site + "?") + "')\">"
                + Html.hidden(CsrfTokens.FIELD, token) + Html.hidden("site", site)
                + "<input type='number' min='1' size='5' name='minutes' value='" + minutes + "'> min "
                + "<input type='text' size='12' name='reason' placeholder='reason'> "
                + "<button type='submit' name='action' value='suspend' class='ui-state-default ui-corner-all'>suspend</button>"
                + "</form> ";
    }

    static String limits(PathLimits l) {
        return l.maxConnections() + " connections, " + l.connectionRate() + " new connections, "
                + l.maxMessagesPerConnection() + " messages/connection, " + l.messageRate() + " messages, "
                + l.maxRecipientsPerTransaction() + " recipients/transaction";
    }

    private static String suspension(Suspension s) {
        if (s == null) {
            return "";
        }
        return text(s.action()) + " by rule " + text(s.rule()) + (s.trigger() == null ? "" : " after reply " + text(s.trigger()))
                + "<br>since " + text(s.since()) + "<br>until " + text(s.until());
    }

    private static String rate(double perMinute) {
        return String.format(java.util.Locale.ROOT, "%.1f", perMinute);
    }
}
