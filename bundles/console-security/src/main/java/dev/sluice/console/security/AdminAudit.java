package dev.sluice.console.security;

import dev.sluice.api.audit.AuditLine;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.felix.webconsole.servlet.User;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit lines for the admin actions the Sluice pages do not log themselves: every changing HTTP request
 * (the console's Configuration, Bundles and Components pages included) with the logged-in user, every
 * configuration change whatever made it (console, {@code deploy/*.cfg}, shell), and every bundle installed,
 * updated or uninstalled while Sluice runs.
 */
@Component(service = {Filter.class, ConfigurationListener.class}, property = {
        "osgi.http.whiteboard.filter.name=sluice-admin-audit", "osgi.http.whiteboard.filter.pattern=/*",
        "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=*)"})
public class AdminAudit implements Filter, ConfigurationListener {

    private static final Logger LOG = LoggerFactory.getLogger(AuditLine.LOGGER);
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final Consumer<String> sink;
    private final Clock clock;
    private final BundleContext context;
    private final BundleListener bundles = this::bundleChanged;

    @Activate
    public AdminAudit(BundleContext context) {
        this(context, LOG::info, Clock.systemUTC());
    }

    AdminAudit(BundleContext context, Consumer<String> sink, Clock clock) {
        this.context = context;
        this.sink = sink;
        this.clock = clock;
        if (context != null) {
            context.addBundleListener(bundles);
        }
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(bundles);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        if (SAFE.contains(request.getMethod().toUpperCase(Locale.ROOT))) {
            chain.doFilter(req, res);
            return;
        }
        String result = "failed";
        try {
            chain.doFilter(req, res);
            result = "HTTP " + ((HttpServletResponse) res).getStatus();
        } finally {
            String action = request.getParameter("action");
            record("http", user(request), request.getMethod() + (action == null ? "" : " action=" + action),
                    request.getRequestURI(), result);
        }
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String what = switch (event.getType()) {
            case ConfigurationEvent.CM_UPDATED -> "config.updated";
            case ConfigurationEvent.CM_DELETED -> "config.deleted";
            case ConfigurationEvent.CM_LOCATION_CHANGED -> "config.location_changed";
            default -> "config.event" + event.getType();
        };
        record("configadmin", null, what, event.getPid(), "done");
    }

    void bundleChanged(BundleEvent event) {
        String what = switch (event.getType()) {
            case BundleEvent.INSTALLED -> "bundle.installed";
            case BundleEvent.UPDATED -> "bundle.updated";
            case BundleEvent.UNINSTALLED -> "bundle.uninstalled";
            default -> null;
        };
        if (what != null) {
            Bundle b = event.getBundle();
            record("framework", null, what, b.getSymbolicName() + " " + b.getVersion() + " from " + b.getLocation(), "done");
        }
    }

    private static String user(HttpServletRequest request) {
        Object user = request.getAttribute(User.USER_ATTRIBUTE);
        if (user instanceof User u && u.getUserObject() != null) {
            return String.valueOf(u.getUserObject());
        }
        return request.getRemoteUser();
    }

    private void record(String via, String user, String action, String target, String result) {
        sink.accept(AuditLine.format(clock.instant(), via, user, action, target, result));
    }
}
