package dev.sluice.webconsole;

import dev.sluice.api.config.ConfigCheck;
import dev.sluice.api.queue.QueueAdmin;
import dev.sluice.api.ratelimit.Suspension;
import dev.sluice.api.ratelimit.TrafficShaper;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
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
 * The console's <em>Destinations</em> page ({@code /system/console/sluice-destinations}): every egress path
 * with traffic or a suspension, its limits, and operator suspend/resume per site; then the tenant budgets used lately.
 */
@Component(service = Servlet.class, configurationPid = DestinationsPlugin.PID, property = {
        ServletConstants.PLUGIN_LABEL + "=" + DestinationsPlugin.LABEL, ServletConstants.PLUGIN_TITLE + "=Destinations",
        ServletConstants.PLUGIN_CATEGORY + "=Sluice"})
@Designate(ocd = DestinationsPlugin.Config.class)
public class DestinationsPlugin extends AbstractServlet {

    private static final long serialVersionUID = 1L;
    static final String PID = "dev.sluice.webconsole.destinations";
    static final String LABEL = "sluice-destinations";
    static final int MAX_SUSPEND_MINUTES = 7 * 24 * 60;

    @ObjectClassDefinition(name = "Sluice console: destinations", description = "The web console's destinations page.")
    public @interface Config {
        @AttributeDefinition(name = "Default suspension (minutes)", min = "1", max = "10080",
                description = "Offered in the suspend forms. Range: 1 to 10080 (a week).")
        int defaultSuspendMinutes() default 60;

        @AttributeDefinition(name = "CSRF token lifetime (minutes)", min = "1", max = "10080",
                description = "How long a rendered form stays usable. Range: 1 to 10080 (a week).")
        int csrfTokenLifetimeMinutes() default 480;
    }

    /** Dynamic, so the page stays up (saying so) while the rate limiter is updated. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile TrafficShaper shaper;

    /** Optional and dynamic: only the tenant table's messages waiting aside come from the scheduler. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile QueueAdmin queueAdmin;

    private final transient Config config;
    private final transient Clock clock;
    private final transient PostGuard guard;
    private final transient Audit audit;

    @Activate
    public DestinationsPlugin(Config config) {
        this(config, Clock.systemUTC(), Audit.toLog());
    }

    DestinationsPlugin(Config config, Clock clock, Audit audit) {
        ConfigCheck.between("defaultSuspendMinutes", config.defaultSuspendMinutes(), 1, MAX_SUSPEND_MINUTES);
        ConfigCheck.between("csrfTokenLifetimeMinutes", config.csrfTokenLifetimeMinutes(), 1, MAX_SUSPEND_MINUTES);
        this.config = config;
        this.clock = clock;
        this.audit = audit;
        this.guard = PostGuard.create(Duration.ofMinutes(config.csrfTokenLifetimeMinutes()), clock, audit);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String user = guard.user(request, response, "destinations");
        if (user == null) {
            return;
        }
        String action = String.valueOf(request.getParameter("action")).toLowerCase(Locale.ROOT);
        String site = Requests.param(request, "site");
        TrafficShaper current = shaper;
        String result;
        boolean error = true;
        if (site == null || !action.equals("suspend") && !action.equals("resume")) {
            result = "give a site and the action suspend or resume";
        } else if (current == null) {
            result = "traffic shaper not available (the rate limiter is stopped or being updated)";
        } else if (action.equals("resume")) {
            boolean had = current.resume(site);
            result = had ? "resumed " + site : "nothing to resume for " + site;
            error = false;
        } else {
            int minutes = Requests.intParam(request, "minutes", -1, -1, Integer.MAX_VALUE);
            if (minutes < 1 || minutes > MAX_SUSPEND_MINUTES) {
                result = "minutes: give 1 to " + MAX_SUSPEND_MINUTES;
            } else {
                String reason = Requests.param(request, "reason");
                Suspension s = current.suspend(site, Duration.ofMinutes(minutes), reason == null ? "operator" : reason);
                result = "suspended " + site + " until " + s.until();
                error = false;
            }
        }
        audit.record(user, "destinations." + action, site, (error ? "failed: " : "") + result);
        guard.seeOther(request, response, Requests.pluginRoot(request, LABEL), result, error);
    }

    @Override
    public void renderContent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        PrintWriter pw = response.getWriter();
        pw.println(guard.resultHtml(request));
        TrafficShaper current = shaper;
        if (current == null) {
            pw.println(Html.message("Traffic shaper not available: the rate limiter is stopped or being updated.", true));
            return;
        }
        String root = Requests.pluginRoot(request, LABEL);
        String token = guard.token(request);
        DestinationsView.render(pw, current.status(), root, token, config.defaultSuspendMinutes());
        QueueAdmin admin = queueAdmin;
        TenantBudgetsView.render(pw, current.tenantBudgets(), admin == null ? null : admin.tenantWaits(),
                clock.instant());
    }
}
