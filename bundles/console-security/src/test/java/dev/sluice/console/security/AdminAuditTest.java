package dev.sluice.console.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.ConfigurationEvent;

class AdminAuditTest {

    /** The event's source; the audit does not look at it. */
    @SuppressWarnings("unchecked")
    private static final org.osgi.framework.ServiceReference<org.osgi.service.cm.ConfigurationAdmin> CONFIG_ADMIN =
            (org.osgi.framework.ServiceReference<org.osgi.service.cm.ConfigurationAdmin>) java.lang.reflect.Proxy
                    .newProxyInstance(AdminAuditTest.class.getClassLoader(),
                            new Class<?>[] {org.osgi.framework.ServiceReference.class}, (p, m, a) -> null);

    private final List<String> lines = new ArrayList<>();
    private final AdminAudit audit = new AdminAudit(null, lines::add,
            Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void configurationChangesAreAuditedWhateverMadeThem() {
        audit.configurationEvent(new ConfigurationEvent(CONFIG_ADMIN, ConfigurationEvent.CM_UPDATED, null, "dev.sluice.scheduler"));
        audit.configurationEvent(new ConfigurationEvent(CONFIG_ADMIN, ConfigurationEvent.CM_DELETED, "dev.sluice.routing.static",
                "dev.sluice.routing.static~eu"));
        assertEquals(List.of(
                "at=2026-12-02T10:00:00Z via=configadmin user=- action=\"config.updated\" target=\"dev.sluice.scheduler\" result=\"done\"",
                "at=2026-12-02T10:00:00Z via=configadmin user=- action=\"config.deleted\" target=\"dev.sluice.routing.static~eu\""
                        + " result=\"done\""), lines);
    }

    @Test
    void changingHttpRequestsAreAuditedWithUserAndStatus() throws Exception {
        var request = Requests.of("POST", java.util.Map.of("action", "install"), "/system/console/bundles", "admin");
        var response = Requests.response(200);
        audit.doFilter(request, response, (req, res) -> { });
        audit.doFilter(Requests.of("GET", java.util.Map.of(), "/system/console/bundles", "admin"), response,
                (req, res) -> { });
        assertEquals(List.of("at=2026-12-02T10:00:00Z via=http user=\"admin\" action=\"POST action=install\""
                + " target=\"/system/console/bundles\" result=\"HTTP 200\""), lines);
    }

    @Test
    void aForgedValueCannotAddALine() {
        audit.configurationEvent(new ConfigurationEvent(CONFIG_ADMIN, ConfigurationEvent.CM_UPDATED, null, "x\"\nat=forged"));
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains("target=\"x'?at=forged\""), lines.get(0));
    }

    /** Proxies for the few request and response methods the filter uses. */
    static final class Requests {
        static jakarta.servlet.http.HttpServletRequest of(String method, java.util.Map<String, String> params, String uri,
                                                           String user) {
            return (jakarta.servlet.http.HttpServletRequest) java.lang.reflect.Proxy.newProxyInstance(
                    AdminAuditTest.class.getClassLoader(), new Class<?>[] {jakarta.servlet.http.HttpServletRequest.class},
                    (p, m, a) -> switch (m.getName()) {
                        case "getMethod" -> method;
                        case "getParameter" -> params.get((String) a[0]);
                        case "getRequestURI" -> uri;
                        case "getAttribute" -> null;
                        case "getRemoteUser" -> user;
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
        }

        static jakarta.servlet.http.HttpServletResponse response(int status) {
            return (jakarta.servlet.http.HttpServletResponse) java.lang.reflect.Proxy.newProxyInstance(
                    AdminAuditTest.class.getClassLoader(), new Class<?>[] {jakarta.servlet.http.HttpServletResponse.class},
                    (p, m, a) -> switch (m.getName()) {
                        case "getStatus" -> status;
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
        }
    }
}
