package dev.sluice.console.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CrossSiteGuardTest {

    private static CrossSiteGuard guard(String... allowed) {
        return new CrossSiteGuard(new CrossSiteGuard.Config() {
            @Override
            public String[] allowedOrigins() {
                return allowed;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return CrossSiteGuard.Config.class;
            }
        });
    }

    /** A request with this method and these headers; nothing else is asked of it. */
    private static HttpServletRequest request(String method, String... headers) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], headers[i + 1]);
        }
        return (HttpServletRequest) Proxy.newProxyInstance(CrossSiteGuardTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getHeader" -> map.get((String) args[0]);
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    void aPostFromAnotherSiteIsRefused() {
        String why = guard().refusal(request("POST", "Host", "127.0.0.1:8080", "Origin", "http://evil.example"));
        assertEquals("sent by a page of http://evil.example, not of this server", why);
        assertTrue(guard().refusal(request("POST", "Host", "127.0.0.1:8080", "Origin", "http://127.0.0.1:9090")) != null);
        assertTrue(guard().refusal(request("DELETE", "Host", "127.0.0.1:8080", "Origin", "null")) != null);
        // No Origin (older browsers on same-site forms): the Referer decides.
        assertTrue(guard().refusal(request("POST", "Host", "127.0.0.1:8080", "Referer", "http://evil.example/x")) != null);
    }

    @Test
    void theConsolesOwnPagesAndToolsPass() {
        assertNull(guard().refusal(request("POST", "Host", "127.0.0.1:8080", "Origin", "http://127.0.0.1:8080")));
        assertNull(guard().refusal(request("POST", "Host", "Console.Example:443", "Origin", "https://console.example")));
        assertNull(guard().refusal(request("POST", "Host", "[::1]:8080",
                "Referer", "http://[::1]:8080/system/console/configMgr")));
        assertNull(guard().refusal(request("POST", "Host", "127.0.0.1:8080")), "curl and scripts send neither header");
        assertNull(guard().refusal(request("GET", "Host", "127.0.0.1:8080", "Origin", "http://evil.example")),
                "reading is not changing");
    }

    @Test
    void aProxyThatEndsTlsOrRewritesHostIsAccepted() {
        assertNull(guard().refusal(request("POST", "Host", "mta.example", "Origin", "https://mta.example")));
        assertTrue(guard().refusal(request("POST", "Host", "10.0.0.5:8080", "Origin", "https://mta.example")) != null);
        assertNull(guard("https://mta.example").refusal(request("POST", "Host", "10.0.0.5:8080",
                "Origin", "https://MTA.example:443")));
    }

    @Test
    void aBadAllowedOriginNamesTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> guard("mta.example"));
        assertTrue(e.getMessage().startsWith("allowedOrigins: not an origin"), e.getMessage());
    }
}
