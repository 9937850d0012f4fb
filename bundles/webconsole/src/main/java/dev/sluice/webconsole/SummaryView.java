package dev.sluice.webconsole;

import static dev.sluice.webconsole.Html.text;
import static dev.sluice.webconsole.Html.uri;

import dev.sluice.api.queue.QueueSummary;
import dev.sluice.api.queue.RecipientStatus;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;

/** The queue's counts (from the incremental summary only) with per-destination actions. */
final class SummaryView {

    private static final Comparator<Map.Entry<String, Long>> BY_COUNT =
            Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()));

    /** Replaces the counts with a fresh server-rendered (escaped) fragment; no data is built in the browser. */
    static final String REFRESH_SCRIPT = "<script>(function(){var el=document.getElementById('sluice-counts');"
            + "var s=+el.getAttribute('data-refresh-seconds');if(!(s>0))return;setInterval(function(){"
            + "fetch(el.getAttribute('data-refresh-url'),{credentials:'same-origin'}).then(function(r){"
            + "return r.ok?r.text():null;}).then(function(t){if(t!==null)el.innerHTML=t;});},s*1000);})();</script>";

    private SummaryView() {
    }

    static void render(PrintWriter pw, QueueSummary summary, Set<String> heldDestinations, int top, String root,
                       String token) {
        pw.print("<table class='nicetable' id='sluice-totals'><thead><tr><th>messages</th><th>held messages</th>");
        for (RecipientStatus status : RecipientStatus.values()) {
            pw.print("<th>" + text(status.name().toLowerCase(java.util.Locale.ROOT)) + " recipients</th>");
        }
        pw.print("</tr></thead><tbody><tr><td>" + summary.messages() + "</td><td>" + summary.heldMessages() + "</td>");
        for (RecipientStatus status : RecipientStatus.values()) {
            pw.print("<td>" + summary.recipientsByStatus().getOrDefault(status, 0L) + "</td>");
        }
        pw.println("</tr></tbody></table>");
        List<Map.Entry<String, Long>> largest = largest(summary.messagesByDestination(), top);
        pw.print("<table class='nicetable' id='sluice-destinations'><thead><tr><th>destination</th><th>messages</th>"
                + "<th>actions</th></tr></thead><tbody>");
        for (Map.Entry<String, Long> e : largest) {
            pw.print("<tr><td><a href='" + Html.attr(root + "?" + QueueForms.DESTINATION + "=" + uri(e.getKey())) + "'>"
                    + text(e.getKey()) + "</a></td><td>" + e.getValue() + "</td><td>");
            pw.print(Html.actionForm(root, token, Map.of(QueueActions.SCOPE, "destination", QueueActions.DEST, e.getKey()),
                    "Apply to every message for " + e.getKey() + "?", true,
                    "data-destination='" + Html.attr(e.getKey()) + "'", QueueActions.ALL));
            pw.println("</td></tr>");
        }
        pw.println("</tbody></table>");
        int more = summary.messagesByDestination().size() - largest.size();
        if (more > 0) {
            pw.println("<p class='statline'>" + more + " more destination(s); search by destination to see them.</p>");
        }        renderHeld(pw, heldDestinations, root, token);
    }

    /** Destinations held as a whole keep even new mail back, so they must be in plain sight with their release. */
    private static void renderHeld(PrintWriter pw, Set<String> held, String root, String token) {
        if (held.isEmpty()) {
            return;
        }
        pw.print("<table class='nicetable ui-state-highlight' id='sluice-held-destinations'><thead><tr>"
                + "<th>held destination (new mail for it is kept back too)</th><th>actions</th></tr></thead><tbody>");
        for (String d : new TreeSet<>(held)) {
            pw.print("<tr><td>" + text(d) + "</td><td>" + Html.actionForm(root, token,
                    Map.of(QueueActions.SCOPE, "destination", QueueActions.DEST, d), "Release " + d
                    + " and every message for it?", true, "data-held-destination='" + Html.attr(d) + "'", "release")
                    + "</td></tr>");
        }
        pw.println("</tbody></table>");
    }

    /** The {@code top} destinations with the most messages, largest first, without sorting them all. */
    static List<Map.Entry<String, Long>> largest(Map<String, Long> counts, int top) {
        PriorityQueue<Map.Entry<String, Long>> heap = new PriorityQueue<>(BY_COUNT);
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            heap.add(e);
            if (heap.size() > top) {
                heap.poll();
            }
        }
        List<Map.Entry<String, Long>> out = new ArrayList<>(heap);
        out.sort(BY_COUNT.reversed());
        return out;
    }
}
