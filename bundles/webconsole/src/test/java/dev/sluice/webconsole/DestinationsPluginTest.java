package dev.sluice.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.queue.TenantWait;
import dev.sluice.api.ratelimit.ConnectionPermit;
import dev.sluice.api.ratelimit.EgressSource;
import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.ratelimit.PathLimits;
import dev.sluice.api.ratelimit.PathStatus;
import dev.sluice.api.ratelimit.Rate;
import dev.sluice.api.ratelimit.Suspension;
import dev.sluice.api.ratelimit.TenantBudgetStatus;
import dev.sluice.api.ratelimit.TrafficShaper;
import java.lang.annotation.Annotation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DestinationsPluginTest {

    static final PathLimits LIMITS = new PathLimits(5, Rate.parse("10/min"), 100, Rate.parse("100/s"), 50);

    /** Shaper fake: fixed status, records suspend and resume. */
    static final class FakeShaper implements TrafficShaper {
        final List<String> calls = new ArrayList<>();
        List<PathStatus> status = List.of();
        List<TenantBudgetStatus> tenantBudgets = List.of();

        public EgressSource chooseSource(String site, Envelope envelope) {
            throw new UnsupportedOperationException();
        }

        public PathLimits limits(PathKey path) {
            return LIMITS;
        }

        public Optional<ConnectionPermit> tryOpenConnection(PathKey path) {
            throw new UnsupportedOperationException();
        }

        public boolean tryAcquireMessage(PathKey path) {
            throw new UnsupportedOperationException();
        }

        public Instant nextOpportunity(PathKey path) {
            throw new UnsupportedOperationException();
        }

        public void onReply(PathKey path, Reply reply) {
            throw new UnsupportedOperationException();
        }

        public List<PathStatus> status() {
            return status;
        }

        public List<TenantBudgetStatus> tenantBudgets() {
            return tenantBudgets;
        }

        public Suspension suspend(String site, Duration duration, String reason) {
            calls.add("suspend " + site + " " + duration + " " + reason);
            return new Suspension(new PathKey(site, "*"), "operator", null, Samples.T0, Samples.T0.plus(duration), "suspend");
        }

        public boolean resume(String site) {
            calls.add("resume " + site);
            return true;
        }

        public Optional<Suspension> suspension(PathKey path) {
            return Optional.empty();
        }
    }

    private final Samples.MutableClock clock = new Samples.MutableClock();
    private final List<String> audit = new ArrayList<>();
    private final FakeShaper shaper = new FakeShaper();
    private final DestinationsPlugin plugin = new DestinationsPlugin(config(), clock, new Audit(audit::add, clock));

    static DestinationsPlugin.Config config() {
        return new DestinationsPlugin.Config() {
            public int defaultSuspendMinutes() {
                return 30;
            }

            public int csrfTokenLifetimeMinutes() {
                return 60;
            }

            public Class<? extends Annotation> annotationType() {
                return DestinationsPlugin.Config.class;
            }
        };
    }

    private String render() throws Exception {
        FakeHttp http = new FakeHttp("alice");
        plugin.renderContent(http.request(), http.response());
        return http.html();
    }

    @Test
    void pathsAreListedWithLimitsAndSuspensionEscaped() throws Exception {
        plugin.shaper = shaper;
        PathKey key = new PathKey("mx.<script>.example", "ip1");
        Suspension s = new Suspension(key, "421-rule", Reply.of(421, "4.7.0", "<too fast>"), Samples.T0,
                Samples.T0.plusSeconds(600), "suspend");
        shaper.status = List.of(new PathStatus(key, 3, LIMITS, 12.5, 0.5, s));
        String html = render();
        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains("mx.&lt;script&gt;.example"), html);
        assertTrue(html.contains("<td>3</td><td>12.5</td><td>0.5</td>"), html);
        assertTrue(html.contains("5 connections, 10/min new connections, 100 messages/connection, 100/s messages"), html);
        assertTrue(html.contains("by rule 421-rule after reply 421 4.7.0 &lt;too fast&gt;"), html);
        assertTrue(html.contains("until 2026-11-23T10:10:00Z"), html);
        assertTrue(html.contains("value='resume'"), html);
    }

    @Test
    void tenantBudgetsAreListedWithWhatWaitsAsideEscaped() throws Exception {
        plugin.shaper = shaper;
        assertTrue(render().contains("No tenant budget was used lately."));
        FakeQueueAdmin queue = new FakeQueueAdmin();
        plugin.queueAdmin = queue;
        String site = "route:<script>";
        shaper.tenantBudgets = List.of(
                new TenantBudgetStatus("acme", site, "acme<1>", Rate.parse("5/s"), 5, 0, Samples.T0.plusMillis(200),
                        Samples.T0.minusSeconds(3), true),
                new TenantBudgetStatus("bob", site, null, Rate.parse("2/s"), 2, 2, Samples.T0, Samples.T0, false));
        queue.tenantWaits = List.of(new TenantWait("acme", site, 7), new TenantWait("carol", "gone", 1));
        String html = render();
        assertFalse(html.contains("<script>") || html.contains("acme<1>"), html);
        assertTrue(html.contains("<tr data-tenant='acme' data-tenant-site='route:&lt;script&gt;'><td>acme</td><td>"
                + "route:&lt;script&gt;</td><td>acme&lt;1&gt;</td><td>5/s</td><td>0 of 5</td><td>in 200 ms</td>"
                + "<td>7</td><td>yes</td><td>3.0 s ago</td></tr>"), html);
        assertTrue(html.contains("<td>bob</td><td>route:&lt;script&gt;</td><td>default (defaultTenantMessageRate)</td>"
                + "<td>2/s</td><td>2 of 2</td><td>now</td><td>0</td><td>no</td>"), html);
        assertTrue(html.contains("<td>carol</td><td>gone</td><td></td><td></td><td></td><td></td><td>1</td>"), html);
        plugin.queueAdmin = null;
        assertTrue(render().contains("<td>unknown (scheduler not available)</td>"));
    }

    @Test
    void suspendNeedsATokenAndIsAudited() throws Exception {
        plugin.shaper = shaper;
        FakeHttp refused = new FakeHttp("alice").param("action", "suspend").param("site", "gmail").param("minutes", "15");
        plugin.doPost(refused.request(), refused.response());
        assertEquals(403, refused.status);
        assertEquals(List.of(), shaper.calls);

        String html = render();
        int at = html.indexOf("name='csrf' value='") + "name='csrf' value='".length();
        String token = html.substring(at, html.indexOf('\'', at));
        FakeHttp ok = new FakeHttp("alice").param("csrf", token).param("action", "suspend").param("site", "gmail")
                .param("minutes", "15").param("reason", "complaints");
        plugin.doPost(ok.request(), ok.response());
        assertEquals(List.of("suspend gmail PT15M complaints"), shaper.calls);
        assertTrue(audit.get(1).contains("user=\"alice\" action=\"destinations.suspend\" target=\"gmail\""), audit.toString());

        FakeHttp resume = new FakeHttp("alice").param("csrf", token).param("action", "resume").param("site", "gmail");
        plugin.doPost(resume.request(), resume.response());
        assertEquals("resume gmail", shaper.calls.get(1));
        assertEquals(303, resume.status, "See Other: a reload of the next page must not resume again");
        assertTrue(resultAfter(resume).contains("resumed gmail"));
    }

    @Test
    void aBadDurationIsRefusedAndTheShaperMayBeMissing() throws Exception {
        plugin.shaper = shaper;
        String html = render();
        int at = html.indexOf("name='csrf' value='") + "name='csrf' value='".length();
        String token = html.substring(at, html.indexOf('\'', at));
        FakeHttp bad = new FakeHttp("alice").param("csrf", token).param("action", "suspend").param("site", "x").param("minutes", "0");
        plugin.doPost(bad.request(), bad.response());
        assertEquals(List.of(), shaper.calls);
        assertEquals("minutes: give 1 to 10080", resultAfter(bad));
        plugin.shaper = null;
        assertTrue(render().contains("Traffic shaper not available"));
    }

    /** The result line the page shows after the POST's 303 See Other, without markup. */
    private String resultAfter(FakeHttp post) throws Exception {
        FakeHttp get = post.redirect();
        plugin.renderContent(get.request(), get.response());
        return get.result();
    }
}
