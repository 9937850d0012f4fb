package dev.sluice.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.event.DeliveryEvent.Kind;
import dev.sluice.api.mail.QueueId;
import dev.sluice.api.queue.MessageDetail;
import dev.sluice.api.queue.QueueAdmin;
import dev.sluice.api.queue.QueuePage;
import dev.sluice.api.queue.QueueSelector;
import dev.sluice.api.queue.QueueSummary;
import dev.sluice.api.queue.RecipientStatus;
import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.ratelimit.PathLimits;
import dev.sluice.api.ratelimit.PathStatus;
import dev.sluice.api.ratelimit.Rate;
import dev.sluice.api.ratelimit.Suspension;
import dev.sluice.api.ratelimit.TrafficShaper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.felix.webconsole.spi.SecurityProvider;
import org.junit.jupiter.api.Test;

class MetricsServletTest {

    private final List<String> authenticated = new ArrayList<>();
    private final DeliveryCounters counters = new DeliveryCounters(DeliveryCountersTest.config(10));
    private final MetricRegistry registry = new MetricRegistry();

    static MetricsServlet.Config config(boolean loopback) {
        return new MetricsServlet.Config() {
            public boolean loopbackWithoutAuth() {
                return loopback;
            }

            public int topDestinations() {
                return 2;
            }

            public Class<? extends Annotation> annotationType() {
                return MetricsServlet.Config.class;
            }
        };
    }

    /** Accepts exactly the user "admin", answering 401 like the console's provider otherwise. */
    private final SecurityProvider provider = new SecurityProvider() {
        public Object authenticate(HttpServletRequest request, HttpServletResponse response) {
            String user = request.getHeader("X-Test-User");
            authenticated.add(String.valueOf(user));
            if ("admin".equals(user)) {
                return user;
            }
            response.setStatus(401);
            return null;
        }

        public boolean authorize(Object user, String role) {
            return true;
        }

        public void logout(HttpServletRequest request, HttpServletResponse response) {
        }
    };

    static final class Response {
        int status = 200;
        String contentType;
        final StringWriter body = new StringWriter();
    }

    private Response get(MetricsServlet servlet, String remoteAddr, String user) throws Exception {
        Response r = new Response();
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> switch (m.getName()) {
                    case "getRemoteAddr" -> remoteAddr;
                    case "getHeader" -> "X-Test-User".equals(a[0]) ? user : null;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        PrintWriter writer = new PrintWriter(r.body, true);
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (p, m, a) -> {
                    switch (m.getName()) {
                        case "setStatus", "sendError" -> r.status = (Integer) a[0];
                        case "setContentType" -> r.contentType = (String) a[0];
                        case "getWriter" -> {
                            return writer;
                        }
                        case "setHeader" -> { }
                        default -> throw new UnsupportedOperationException(m.getName());
                    }
                    return null;
                });
        servlet.doGet(request, response);
        return r;
    }

    @Test
    void credentialsAreRequiredByDefault() throws Exception {
        MetricsServlet servlet = new MetricsServlet(config(false), counters, registry);
        assertEquals(503, get(servlet, "127.0.0.1", "admin").status, "no provider: refuse rather than expose");
        servlet.securityProvider = provider;
        Response refused = get(servlet, "127.0.0.1", "mallory");
        assertEquals(401, refused.status);
        assertEquals("", refused.body.toString());
        Response ok = get(servlet, "127.0.0.1", "admin");
        assertEquals(200, ok.status);
        assertEquals("text/plain; version=0.0.4; charset=utf-8", ok.contentType);
        assertEquals(List.of("mallory", "admin"), authenticated);
    }

    @Test
    void loopbackScrapersCanBeLetInWithoutCredentials() throws Exception {
        MetricsServlet servlet = new MetricsServlet(config(true), counters, registry);
        servlet.securityProvider = provider;
        assertEquals(200, get(servlet, "127.0.0.1", null).status);
        assertEquals(200, get(servlet, "0:0:0:0:0:0:0:1", null).status);
        assertEquals(List.of(), authenticated);
        assertEquals(401, get(servlet, "192.0.2.7", null).status);
        assertTrue(MetricsServlet.isLoopback("::1"));
        assertFalse(MetricsServlet.isLoopback("localhost"));
        assertFalse(MetricsServlet.isLoopback("10.0.0.1"));
    }

    @Test
    void aScrapeHasDeliveryQueueAndJvmMetrics() throws Exception {
        MetricsServlet servlet = new MetricsServlet(config(true), counters, registry);
        counters.onEvent(DeliveryCountersTest.event(Kind.DELIVERED, "example.net"));
        servlet.queueAdmin = new SummaryOnly(new QueueSummary(1_000_000, Map.of(RecipientStatus.DEFERRED, 400_000L), 12,
                Map.of("a.example", 600_000L, "b.example", 300_000L, "c.example", 60_000L, "d.example", 40_000L)));
        Exposition e = Exposition.parse(get(servlet, "127.0.0.1", null).body.toString());
        assertEquals(1, e.value("sluice_recipient_outcomes_total{outcome=delivered,destination=example.net}"));
        assertEquals(1, e.value("sluice_queue_available"));
        assertEquals(1_000_000, e.value("sluice_queue_messages"));
        assertEquals(12, e.value("sluice_queue_held_messages"));
        assertEquals(400_000, e.value("sluice_queue_recipients{status=deferred}"));
        assertEquals(0, e.value("sluice_queue_recipients{status=pending}"));
        assertEquals(600_000, e.value("sluice_queue_destination_messages{destination=a.example}"));
        assertEquals(100_000, e.value("sluice_queue_destination_messages{destination=(other)}"));
        assertEquals(0, e.value("sluice_traffic_shaper_available"));
        assertTrue(e.value("jvm_threads_current") >= 1);
        assertTrue(e.value("jvm_memory_bytes_used{area=heap}") > 0);
        assertTrue(e.value("process_uptime_seconds") > 0);
        assertEquals("gauge", e.types.get("sluice_queue_messages"));
        assertTrue(e.samples.keySet().stream().anyMatch(k -> k.startsWith("jvm_gc_collections_total{gc=")));
        assertTrue(e.value("process_cpu_seconds_total") > 0);
        assertTrue(e.value("process_open_fds") > 0);
        assertTrue(e.value("process_max_fds") >= e.value("process_open_fds"));
    }

    @Test
    void registeredTimingsFollowTheEndpointsOwnFamilies() throws Exception {
        MetricsServlet servlet = new MetricsServlet(config(true), counters, registry);
        registry.timer("sluice_accept_latency_seconds", "Accept latency.", dev.sluice.api.metrics.Buckets.LATENCY,
                "listener", "default").record(3_000_000);
        // a plugin that takes a name the endpoint writes itself is left out rather than make the scrape invalid
        registry.counter("sluice_messages_received_total", "Clash.").increment();
        Exposition e = Exposition.parse(get(servlet, "127.0.0.1", null).body.toString());
        assertEquals("histogram", e.types.get("sluice_accept_latency_seconds"));
        assertEquals(1, e.value("sluice_accept_latency_seconds_count{listener=default}"));
        assertEquals(0, e.value("sluice_accept_latency_seconds_bucket{listener=default,le=0.0025}"));
        assertEquals(1, e.value("sluice_accept_latency_seconds_bucket{listener=default,le=0.005}"));
        assertEquals(0, e.value("sluice_messages_received_total"));
    }

    @Test
    void trafficGaugesCountConnectionsAndSuspensions() {
        PathKey a = new PathKey("gmail", "ip1");
        PathKey b = new PathKey("gmail", "ip2");
        PathLimits limits = new PathLimits(5, Rate.parse("10/min"), 100, Rate.parse("100/s"), 50);
        List<PathStatus> status = List.of(new PathStatus(a, 3, limits, 0, 0, null),
                new PathStatus(b, 0, limits, 0, 0, new Suspension(b, "operator", null, Instant.EPOCH, Instant.MAX, "suspend")),
                new PathStatus(new PathKey("yahoo", "ip1"), 4, limits, 0, 0, null));
        TrafficShaper shaper = (TrafficShaper) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {TrafficShaper.class}, (p, m, args) -> {
                    if (m.getName().equals("status")) {
                        return status;
                    }
                    throw new AssertionError("a scrape only reads the status: " + m.getName());
                });
        PrometheusText text = new PrometheusText();
        Gauges.traffic(text, shaper);
        Exposition e = Exposition.parse(text.toString());
        assertEquals(1, e.value("sluice_traffic_shaper_available"));
        assertEquals(7, e.value("sluice_outbound_open_connections"));
        assertEquals(3, e.value("sluice_outbound_paths"));
        assertEquals(1, e.value("sluice_outbound_suspended_paths"));
        assertEquals(1, e.value("sluice_outbound_suspended_sites"));
    }

    @Test
    void inboundConnectionsPerListener() {
        PrometheusText text = new PrometheusText();
        Gauges.inbound(text, List.of(listener("submission", 3), listener("default", 12)));
        Exposition e = Exposition.parse(text.toString());
        assertEquals(12, e.value("sluice_inbound_open_connections{listener=default}"));
        assertEquals(3, e.value("sluice_inbound_open_connections{listener=submission}"));
        assertTrue(text.toString().indexOf("listener=\"default\"") < text.toString().indexOf("listener=\"submission\""));
    }

    private static dev.sluice.api.smtp.SmtpListenerStatus listener(String name, int open) {
        return new dev.sluice.api.smtp.SmtpListenerStatus() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int openConnections() {
                return open;
            }
        };
    }

    /** A queue admin whose only cheap operation is all a scrape may use. */
    record SummaryOnly(QueueSummary summary) implements QueueAdmin {
        public QueuePage search(QueueSelector s, int offset, int limit) {
            throw new AssertionError("a scrape must never search the queue");
        }

        public Optional<MessageDetail> show(QueueId id) {
            throw new AssertionError();
        }

        public int retryNow(QueueSelector s) {
            throw new AssertionError();
        }

        public int hold(QueueSelector s) {
            throw new AssertionError();
        }

        public int release(QueueSelector s) {
            throw new AssertionError();
        }

        public int delete(QueueSelector s, boolean bounce) {
            throw new AssertionError();
        }
    }
}
