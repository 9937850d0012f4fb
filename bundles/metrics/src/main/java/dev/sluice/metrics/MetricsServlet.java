package dev.sluice.metrics;

import dev.sluice.api.config.ConfigCheck;
import dev.sluice.api.queue.QueueAdmin;
import dev.sluice.api.ratelimit.TrafficShaper;
import dev.sluice.api.smtp.SmtpListenerStatus;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.apache.felix.webconsole.spi.SecurityProvider;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} in the Prometheus text format, through the HTTP whiteboard. Protected by the web
 * console's credentials (the {@code sluice} security provider) unless configured to let loopback scrapers in.
 * Everything is read at scrape time from incremental counts, so a scrape costs the same with a million
 * queued messages.
 */
@Component(service = Servlet.class, configurationPid = MetricsServlet.PID, property = {
        "osgi.http.whiteboard.servlet.pattern=/metrics", "osgi.http.whiteboard.servlet.name=sluice-metrics"})
@Designate(ocd = MetricsServlet.Config.class)
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String PID = "dev.sluice.metrics";
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServlet.class);

    @ObjectClassDefinition(name = "Sluice metrics", description = "The Prometheus endpoint /metrics.")
    public @interface Config {
        @AttributeDefinition(name = "Loopback scrapers without credentials",
                description = "When true, requests from 127.0.0.0/8 and ::1 need no login; all others still do.")
        boolean loopbackWithoutAuth() default false;

        @AttributeDefinition(name = "Destinations in the queue gauge", min = "0", max = "1000",
                description = "The largest destinations with their own sluice_queue_destination_messages series. "
                        + "Range: 0 to 1000.")
        int topDestinations() default 20;
    }

    /** The console's own provider, so /metrics has the same credentials and failed logins are audited there. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(webconsole.security.provider.id=sluice)")
    volatile SecurityProvider securityProvider;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile QueueAdmin queueAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile TrafficShaper shaper;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile List<SmtpListenerStatus> listeners = List.of();

    private final transient DeliveryCounters counters;
    private final transient MetricRegistry registry;
    private final boolean loopbackWithoutAuth;
    private final int topDestinations;

    @Activate
    public MetricsServlet(Config config, @Reference(name = "counters") DeliveryCounters counters,
                          @Reference(name = "registry") MetricRegistry registry) {
        ConfigCheck.between("topDestinations", config.topDestinations(), 0, 1000);
        this.counters = counters;
        this.registry = registry;
        this.loopbackWithoutAuth = config.loopbackWithoutAuth();
        this.topDestinations = config.topDestinations();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!(loopbackWithoutAuth && isLoopback(request.getRemoteAddr()))) {
            SecurityProvider provider = securityProvider;
            if (provider == null) {
                response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "authentication is not available");
                return;
            }
            if (provider.authenticate(request, response) == null) {
                return; // the provider has answered (401 with a challenge)
            }
        }
        PrometheusText text = new PrometheusText();
        counters.write(text);
        try {
            Gauges.queue(text, queueAdmin, topDestinations);
            Gauges.traffic(text, shaper);
            Gauges.inbound(text, listeners);
        } catch (RuntimeException e) {
            // A service going away mid-scrape must not cost the JVM and counter metrics.
            LOG.debug("queue or traffic gauges unavailable for this scrape", e);
        }
        JvmMetrics.write(text);
        registry.write(text);
        response.setContentType(PrometheusText.CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(text.toString());
    }

    static boolean isLoopback(String address) {
        // Only IP literals are looked at, so this never does a DNS lookup.
        if (address == null || !address.matches("\\d{1,3}(\\.\\d{1,3}){3}") && !address.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
