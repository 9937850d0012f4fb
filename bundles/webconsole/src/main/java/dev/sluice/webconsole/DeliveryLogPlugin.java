package dev.sluice.webconsole;

import dev.sluice.api.config.ConfigCheck;
import static dev.sluice.webconsole.Html.attr;
import static dev.sluice.webconsole.Html.text;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The console's <em>Delivery log</em> page ({@code /system/console/sluice-delivery-log}): the newest lines of
 * the delivery log, filtered by recipient, domain and outcome. Read-only, so it needs no CSRF token.
 */
@Component(service = Servlet.class, configurationPid = DeliveryLogPlugin.PID, property = {
        ServletConstants.PLUGIN_LABEL + "=" + DeliveryLogPlugin.LABEL, ServletConstants.PLUGIN_TITLE + "=Delivery log",
        ServletConstants.PLUGIN_CATEGORY + "=Sluice"})
@Designate(ocd = DeliveryLogPlugin.Config.class)
public class DeliveryLogPlugin extends AbstractServlet {

    private static final long serialVersionUID = 1L;
    static final String PID = "dev.sluice.webconsole.deliverylog";
    static final String LABEL = "sluice-delivery-log";
    static final List<String> OUTCOMES = List.of("received", "delivered", "deferred", "bounced", "expired", "delay_notified");
    private static final String[] COLUMNS = {"time", "kind", "queue_id", "sender", "recipient", "remote_host", "code",
        "enhanced", "text", "classification", "attempt"};

    @ObjectClassDefinition(name = "Sluice console: delivery log", description = "The web console's delivery log page.")
    public @interface Config {
        @AttributeDefinition(name = "Delivery log file", description = "Relative paths resolve against sluice.home.")
        String logFile() default "log/delivery.log";

        @AttributeDefinition(name = "Lines shown (lines)", min = "1", max = "10000",
                description = "At most this many matching lines, newest first. Range: 1 to 10000.")
        int lines() default 200;

        @AttributeDefinition(name = "Read budget (KiB)", min = "1", max = "1048576",
                description = "How far back from the end of the file a request looks. Range: 1 to 1048576 (1 GiB).")
        int maxScanKilobytes() default 4096;
    }

    private final transient Path file;
    private final int lines;
    private final long maxBytes;

    @Activate
    public DeliveryLogPlugin(BundleContext context, Config config) {
        this(Path.of(home(context.getProperty("sluice.home"))), config);
    }

    DeliveryLogPlugin(Path home, Config config) {
        ConfigCheck.between("lines", config.lines(), 1, 10_000);
        ConfigCheck.between("maxScanKilobytes", config.maxScanKilobytes(), 1, 1 << 20);
        this.file = home.resolve(config.logFile());
        this.lines = config.lines();
        this.maxBytes = config.maxScanKilobytes() * 1024L;
    }

    private static String home(String property) {
        return property == null || property.isBlank() ? "." : property;
    }

    @Override
    public void renderContent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        PrintWriter pw = response.getWriter();
        String recipient = lower(Requests.param(request, "recipient"));
        String domain = lower(Requests.param(request, "domain"));
        String outcome = lower(Requests.param(request, "outcome"));
        pw.print("<form method='get' id='sluice-log-filter' action='" + attr(Requests.pluginRoot(request, LABEL)) + "'>"
                + "<label>recipient contains <input type='text' name='recipient' value='" + attr(recipient) + "'></label> "
                + "<label>domain <input type='text' name='domain' value='" + attr(domain) + "'></label> "
                + "<label>outcome <select name='outcome'><option value=''>any</option>");
        for (String o : OUTCOMES) {
            pw.print("<option" + (o.equals(outcome) ? " selected" : "") + " value='" + attr(o) + "'>" + text(o) + "</option>");
        }
        pw.println("</select></label> <button type='submit' class='ui-state-default ui-corner-all'>Filter</button></form>");
        List<String> found;
        try {
            found = LogTail.read(file, lines, maxBytes, filter(recipient, domain, outcome));
        } catch (NoSuchFileException e) {
            pw.println(Html.message("No delivery log yet at " + file, false));
            return;
        }
        pw.print("<p class='statline'>" + found.size() + " line(s), newest first, from the last "
                + Math.min(maxBytes, Files.size(file)) / 1024 + " KiB of " + text(file) + "</p>");
        pw.print("<table class='nicetable' id='sluice-log'><thead><tr>");
        for (String c : COLUMNS) {
            pw.print("<th>" + text(c) + "</th>");
        }
        pw.print("</tr></thead><tbody>");
        for (String line : found) {
            Map<String, String> f = LogLine.parse(line);
            pw.print("<tr>");
            if (f.isEmpty()) {
                pw.print("<td colspan='" + COLUMNS.length + "'>" + text(line) + "</td>");
            } else {
                for (String c : COLUMNS) {
                    pw.print("<td>" + text(f.get(c)) + "</td>");
                }
            }
            pw.println("</tr>");
        }
        pw.println("</tbody></table>");
    }

    /** Cheap text test first, so most lines are rejected without parsing them. */
    static Predicate<String> filter(String recipient, String domain, String outcome) {
        return line -> {
            String lowerLine = line.toLowerCase(Locale.ROOT);
            if (recipient != null && !lowerLine.contains(recipient) || domain != null && !lowerLine.contains(domain)
                    || outcome != null && !lowerLine.contains(outcome)) {
                return false;
            }
            Map<String, String> f = LogLine.parse(line);
            String rcpt = lower(f.get("recipient"));
            return (recipient == null || rcpt != null && rcpt.contains(recipient))
                    && (domain == null || domain.equals(lower(f.get("destination"))) || rcpt != null && rcpt.endsWith("@" + domain))
                    && (outcome == null || outcome.equals(lower(f.get("kind"))));
        };
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
