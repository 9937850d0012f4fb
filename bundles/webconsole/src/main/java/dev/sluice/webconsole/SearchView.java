package dev.sluice.webconsole;

import static dev.sluice.webconsole.Html.attr;
import static dev.sluice.webconsole.Html.text;
import static dev.sluice.webconsole.Html.uri;

import dev.sluice.api.queue.QueueEntry;
import dev.sluice.api.queue.QueuePage;
import jakarta.servlet.http.HttpServletRequest;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** The search form and one page of results with per-message and whole-result actions. */
final class SearchView {

    private SearchView() {
    }

    static void renderForm(PrintWriter pw, HttpServletRequest request, String root, int limit) {
        pw.print("<form method='get' id='sluice-search' action='" + attr(root) + "'><table class='nicetable'><tr>");
        field(pw, request, QueueForms.QUEUE_ID, "queue id");
        field(pw, request, QueueForms.SENDER, "sender contains");
        field(pw, request, QueueForms.RECIPIENT, "recipient contains");
        field(pw, request, QueueForms.DESTINATION, "destination");
        field(pw, request, QueueForms.SENDER_DOMAIN, "sender domain");
        pw.print("<td><label><input type='checkbox' name='held' value='yes'"
                + ("yes".equals(request.getParameter(QueueForms.HELD)) ? " checked" : "") + "> held only</label></td>");
        pw.print("<td>" + Html.hidden(QueueForms.LIMIT, limit)
                + "<button type='submit' id='sluice-search-submit' class='ui-state-default ui-corner-all'>Search</button>"
                + "</td></tr></table></form>");
    }

    private static void field(PrintWriter pw, HttpServletRequest request, String name, String label) {
        pw.print("<td><label>" + text(label) + " <input type='text' name='" + attr(name) + "' value='"
                + attr(Requests.param(request, name)) + "'></label></td>");
    }

    static void renderResults(PrintWriter pw, QueuePage page, int limit, Map<String, String> criteria, String root,
                              String token) {
        pw.print("<table class='nicetable' id='sluice-results'><thead><tr><th>queue id</th><th>queued at</th>"
                + "<th>next attempt</th><th>held</th><th>destinations</th><th>sender domain</th><th>size</th>"
                + "<th>actions</th></tr></thead><tbody>");
        for (QueueEntry e : page.entries()) {
            Map<String, String> fields = new LinkedHashMap<>(criteria);
            fields.put(QueueActions.SCOPE, "message");
            fields.put(QueueActions.ID, e.id().value());
            pw.print("<tr><td><a href='" + attr(root + "?show=" + uri(e.id().value())) + "'>" + text(e.id()) + "</a></td>"
                    + "<td>" + text(e.queuedAt()) + "</td><td>" + text(e.nextAttempt()) + "</td><td>"
                    + (e.held() ? "held" : "") + "</td><td>" + text(String.join(", ", e.destinations())) + "</td><td>"
                    + text(e.senderDomain()) + "</td><td>" + e.size() + "</td><td>"
                    + Html.actionForm(root, token, fields, null, false, "data-queue-id='" + attr(e.id().value()) + "'",
                            "retry", "hold", "release")
                    + Html.actionForm(root, token, fields, "Delete " + e.id() + "?", false, null, "delete", "bounce")
                    + "</td></tr>");
        }
        pw.println("</tbody></table>");
        String shown = page.entries().isEmpty() ? "no matching message"
                : "messages " + (page.offset() + 1) + "–" + (page.offset() + page.entries().size())
                + (page.total() >= 0 ? " of " + page.total() : "");
        pw.print("<p class='statline' id='sluice-paging'>" + text(shown) + " ");
        if (page.offset() > 0) {
            pw.print(link(root, criteria, Math.max(0, page.offset() - limit), limit, "previous", "sluice-prev"));
        }
        boolean more = page.total() >= 0 ? page.offset() + page.entries().size() < page.total()
                : page.entries().size() == limit;
        if (more) {
            pw.print(" " + link(root, criteria, page.offset() + page.entries().size(), limit, "next", "sluice-next"));
        }
        pw.println("</p>");
        if (!page.entries().isEmpty()) {
            Map<String, String> fields = new LinkedHashMap<>(criteria);
            fields.put(QueueActions.SCOPE, "search");
            pw.print("<p>Every message matching this search: ");
            pw.print(Html.actionForm(root, token, fields, "Apply to EVERY message matching this search (not only this page)?",
                    true, "id='sluice-bulk'", QueueActions.ALL));
            pw.println("</p>");
        }
    }

    private static String link(String root, Map<String, String> criteria, int offset, int limit, String label, String id) {
        Map<String, String> query = new LinkedHashMap<>(criteria);
        query.put(QueueForms.OFFSET, Integer.toString(offset));
        query.put(QueueForms.LIMIT, Integer.toString(limit));
        return "<a id='" + id + "' href='" + attr(Requests.url(root, query)) + "'>" + text(label) + "</a>";
    }
}
