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
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses state-changing requests (anything but GET, HEAD, OPTIONS, TRACE) that a page of another site made a
 * browser send. The console uses HTTP Basic, which browsers attach to such requests by themselves, and the
 * console's own pages (Configuration, Bundles, Components) carry no CSRF token: without this check a page
 * visited while logged in could install a bundle. Browsers send {@code Origin} with every cross-site POST; it
 * (or, failing that, {@code Referer}) must name the address the request was sent to, or an allowed origin.
 * Requests with neither header come from scripts and tools, which no other site can drive.
 */
@Component(service = Filter.class, configurationPid = CrossSiteGuard.PID, property = {
        "osgi.http.whiteboard.filter.name=sluice-cross-site-guard", "osgi.http.whiteboard.filter.pattern=/*",
        "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=*)"})
@Designate(ocd = CrossSiteGuard.Config.class)
public class CrossSiteGuard implements Filter {

    static final String PID = "dev.sluice.console.crosssite";
    private static final Logger AUDIT = LoggerFactory.getLogger(AuditLine.LOGGER);
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    @ObjectClassDefinition(name = "Sluice cross-site request guard",
            description = "Refuses POSTs and other changing requests that a page of another web site made the"
            + " browser send to the console, /metrics or any other Sluice HTTP endpoint.")
    public @interface Config {
        @AttributeDefinition(name = "Allowed origins", description = "Origins (scheme://host:port) accepted besides"
                + " the address a request was sent to, e.g. the public address of a reverse proxy that rewrites Host.")
        String[] allowedOrigins() default {};
    }

    private final Set<String> allowed = new TreeSet<>();

    @Activate
    public CrossSiteGuard(Config config) {
        for (String origin : config.allowedOrigins()) {
            String normalized = origin.isBlank() ? null : authority(origin.strip());
            if (normalized == null) {
                throw new IllegalArgumentException("allowedOrigins: not an origin (scheme://host[:port]): " + origin);
            }
            allowed.add(normalized);
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String refusal = refusal(request);
        if (refusal == null) {
            chain.doFilter(req, res);
            return;
        }
        AUDIT.warn(AuditLine.format(Instant.now(), "http", request.getRemoteUser(), request.getMethod(),
                request.getRequestURI(), "refused: " + refusal + " (client " + request.getRemoteAddr() + ")"));
        ((HttpServletResponse) res).sendError(HttpServletResponse.SC_FORBIDDEN, "Cross-site request refused: " + refusal);
    }

    /** Why the request must not be served, or null when it may. */
    String refusal(HttpServletRequest request) {
        if (SAFE.contains(request.getMethod().toUpperCase(Locale.ROOT))) {
            return null;
        }
        String origin = request.getHeader("Origin");
        String source = origin != null ? origin : request.getHeader("Referer");
        if (source == null) {
            return null;
        }
        String from = authority(source);
        if (from == null) {
            return "unusable Origin/Referer " + source;
        }
        if (allowed.contains(from) || from.equals(target(request, from))) {
            return null;
        }
        return "sent by a page of " + source + ", not of this server";
    }

    /** {@code scheme://host:port} of an origin or URL (default ports made explicit), or null. */
    static String authority(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (scheme == null || uri.getHost() == null) {
                return null;
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            int port = uri.getPort() != -1 ? uri.getPort() : defaultPort(scheme);
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /**
     * The address the browser sent the request to, from its Host header, in the origin's scheme: behind a proxy
     * that ends TLS the request here is plain HTTP although the page was HTTPS.
     */
    private static String target(HttpServletRequest request, String origin) {
        String host = request.getHeader("Host");
        if (host == null || host.isBlank()) {
            return null;
        }
        String scheme = origin.substring(0, origin.indexOf("://"));
        return authority(scheme + "://" + host.strip());
    }

    private static int defaultPort(String scheme) {
        return "https".equals(scheme) ? 443 : 80;
    }
}
