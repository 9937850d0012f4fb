package dev.sluice.webconsole;

import static dev.sluice.api.config.ConfigCheck.between;

import dev.sluice.api.queue.MessageDetail;
import dev.sluice.api.queue.QueueAdmin;
import dev.sluice.api.queue.QueueException;
import dev.sluice.api.queue.QueuePage;
import dev.sluice.api.queue.QueueSelector;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The console's <em>Mail queue</em> page ({@code /system/console/sluice-queue}): counts from the
 * incremental summary (refreshed in place from {@code sluice-queue/counts}), paged search, message detail
 * and actions. It never lists the whole queue: results exist only for a search with criteria.
 */
@Component(service = Servlet.class, configurationPid = QueuePlugin.PID, property = {
        ServletConstants.PLUGIN_LABEL + "=" + QueuePlugin.LABEL, ServletConstants.PLUGIN_TITLE + "=Mail queue",
        ServletConstants.PLUGIN_CATEGORY + "=Sluice"})
@Designate(ocd = QueuePlugin.Config.class)
public class QueuePlugin extends AbstractServlet {

    private static final long serialVersionUID = 1L;
    static final String PID = "dev.sluice.webconsole.queue";
    static final String LABEL = "sluice-queue";
    static final int MAX_OFFSET = 10_000_000;

    @ObjectClassDefinition(name = "Sluice console: mail queue", description = "The web console's mail queue page.")
    public @interface Config {
        @AttributeDefinition(name = "Page size (messages)", min = "1", max = "1000",
                description = "Search results per page. Range: 1 to 1000.")
        int pageSize() default 50;

        @AttributeDefinition(name = "Counts refresh (seconds)", min = "0", max = "3600",
                description = "How often the page reloads the counts; 0 turns it off. Range: 0 to 3600.")
        int refreshSeconds() default 10;

        @AttributeDefinition(name = "Destinations shown", min = "0", max = "1000",
                description = "How many destinations (those with the most messages) the counts list. Range: 0 to 1000.")
        int topDestinations() default 25;

        @AttributeDefinition(name = "CSRF token lifetime (minutes)", min = "1", max = "10080",
                description = "How long a rendered form stays usable. Range: 1 to 10080 (a week).")
        int csrfTokenLifetimeMinutes() default 480;
    }

    /** Dynamic, so the page stays up (saying so) while the scheduler is updated; hence not a constructor parameter. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile QueueAdmin queueAdmin;

    private final transient Config config;
    private final transient PostGuard guard;
    private final transient QueueActions actions;

    @Activate
    public QueuePlugin(Config config) {
        this(config, Clock.systemUTC(), Audit.toLog());
    }

    QueuePlugin(Config config, Clock clock, Audit audit) {
        between("pageSize", config.pageSize(), 1, 1000);
        between("refreshSeconds", config.refreshSeconds(), 0, 3600);
        between("topDestinations", config.topDestinations(), 0, 1000);
        between("csrfTokenLifetimeMinutes", config.csrfTokenLifetimeMinutes(), 1, 10_080);
        this.config = config;
        this.guard = PostGuard.create(Duration.ofMinutes(config.csrfTokenLifetimeMinutes()), clock, audit);
        this.actions = new QueueActions(guard, audit);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path != null && path.endsWith("/counts")) {
            setNoCache(response);
            response.setContentType("text/html;charset=UTF-8");
            QueueAdmin admin = queueAdmin;
            if (admin == null) {
                response.getWriter().print(Html.message("Queue not available", true));
            } else {
                SummaryView.render(response.getWriter(), admin.summary(), admin.heldDestinations(), config.topDestinations(),
                        Requests.pluginRoot(request, LABEL), guard.token(request));
            }
            return;
        }
        spoolResource(request, response);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        actions.handle(request, response, queueAdmin);
    }

    @Override
    public void renderContent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        PrintWriter pw = response.getWriter();
        String root = Requests.pluginRoot(request, LABEL);
        String token = guard.token(request);
        pw.println(guard.resultHtml(request));
        QueueAdmin admin = queueAdmin;
        if (admin == null) {
            pw.println(Html.message("Queue not available: the scheduler is stopped or being updated.", true));
            return;
        }
        try {
            String show = Requests.param(request, "show");
            if (show != null) {
                showMessage(pw, admin, show, root, token);
                return;
            }
            pw.print("<div id='sluice-counts' data-refresh-url='" + Html.attr(root + "/counts")
                    + "' data-refresh-seconds='" + config.refreshSeconds() + "'>");
            SummaryView.render(pw, admin.summary(), admin.heldDestinations(), config.topDestinations(), root, token);
            pw.println("</div>" + SummaryView.REFRESH_SCRIPT);
            int limit = Requests.intParam(request, QueueForms.LIMIT, config.pageSize(), 1, 1000);
            SearchView.renderForm(pw, request, root, limit);
            QueueSelector criteria = QueueForms.criteria(request);
            if (criteria != null) {
                int offset = Requests.intParam(request, QueueForms.OFFSET, 0, 0, MAX_OFFSET);
                QueuePage page = admin.search(criteria, offset, limit);
                SearchView.renderResults(pw, page, limit, QueueForms.fields(request), root, token);
            }
        } catch (IllegalArgumentException e) {
            pw.println(Html.message(e.getMessage(), true));
        }
    }

    private static void showMessage(PrintWriter pw, QueueAdmin admin, String id, String root, String token) {
        pw.println("<p><a href='" + Html.attr(root) + "'>back to the queue</a></p>");
        try {
            Optional<MessageDetail> detail = admin.show(QueueForms.queueId(id));
            if (detail.isEmpty()) {
                pw.println(Html.message("no message with queue id " + id, true));
            } else {
                MessageView.render(pw, detail.get(), root, token);
            }
        } catch (QueueException e) {
            pw.println(Html.message("cannot read message " + id + ": " + e.getMessage(), true));
        }
    }
}
