package dev.sluice.itests.e2e;

import static dev.sluice.itests.e2e.ConsoleFixture.WAIT;
import static dev.sluice.itests.e2e.ConsoleFixture.awaitPage;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;
import org.openqa.selenium.JavascriptExecutor;

/**
 * The administrator's side of the web console against the real distribution: {@code /metrics} counts a known
 * traffic (two messages deferred once, one of them then retried and delivered) and needs credentials; the console's
 * own Configuration page still works and is audited; and while mail flows, a filter plugin is installed on the
 * Bundles page, seen active and tagging mail, and uninstalled there. In name order: the Bundles page's steady mail
 * would change the counts the metrics test asserts.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ConsoleAdminIT {

    private static final String PLUGIN = "com.example.sluice.filter";
    private static final String PLUGIN_HEADER = "X-Example-Filter";

    private static ConsoleFixture fx;
    private static SluiceDistribution sluice;

    @BeforeClass
    public static void start() throws Exception {
        fx = ConsoleFixture.start("console-admin");
        sluice = fx.sluice;
        fx.logIn();
    }

    @AfterClass
    public static void stopEverything() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    /** Both messages deferred once; then bob's retried by the operator, delivered and gone from the queue. */
    private static void deferBothThenDeliverBob() throws Exception {
        String bobId = fx.queueBobAndCarol().get(0);
        assertTrue("the first attempts were never logged", SluiceDistribution.await(WAIT,
                () -> deliveryLog().ofKind("deferred").size() >= 2));
        fx.accepting.set(true);
        String retried = sluice.consoleAction("/system/console/sluice-queue", Map.of("scope", "message", "id", bobId,
                "action", "retry"));
        assertTrue(retried, retried.contains("retry: 1 message(s) (id=" + bobId + ")"));
        assertTrue("bob's message never left the queue", awaitPage(() -> fx.body(
                "/system/console/sluice-queue?recipient=bob%40").contains("no matching message")));
    }

    private static DeliveryLog deliveryLog() {
        try {
            return sluice.deliveryLog();
        } catch (java.io.IOException e) {
            return new DeliveryLog(List.of());
        }
    }

    @Test
    public void a_metricsCountTheTrafficAndNeedCredentials() throws Exception {
        deferBothThenDeliverBob();
        assertEquals(401, sluice.get("/metrics", null, null).statusCode());
        HttpResponse<String> scrape = sluice.getAsAdmin("/metrics");
        assertEquals(200, scrape.statusCode());
        assertTrue(scrape.headers().firstValue("Content-Type").orElse(""), scrape.headers().firstValue("Content-Type")
                .orElse("").startsWith("text/plain; version=0.0.4"));
        String text = scrape.body();
        for (String sample : List.of("# TYPE sluice_messages_received_total counter",
                "\nsluice_messages_received_total 2\n",
                "\nsluice_recipient_outcomes_total{outcome=\"deferred\",destination=\"example.test\"} 2\n",
                "\nsluice_recipient_outcomes_total{outcome=\"delivered\",destination=\"example.test\"} 1\n",
                "\nsluice_queue_messages 1\n", "\nsluice_queue_recipients{status=\"deferred\"} 1\n",
                "\nsluice_queue_destination_messages{destination=\"example.test\"} 1\n",
                "\nsluice_outbound_paths 1\n", "\nsluice_inbound_open_connections{listener=\"default\"} 0\n",
                "\njvm_threads_current ", "\njvm_memory_bytes_used{area=\"heap\"} ", "\nprocess_cpu_seconds_total ",
                "\nprocess_open_fds ", "\nprocess_uptime_seconds ", "# TYPE sluice_accept_latency_seconds histogram",
                // two messages accepted over DATA; bob delivered once; every attempt timed (2 deferrals, 1 delivery)
                "\nsluice_accept_latency_seconds_count{listener=\"default\"} 2\n",
                "\nsluice_smtp_transaction_seconds_count{listener=\"default\"} 2\n",
                "\nsluice_delivery_latency_seconds_count 1\n",
                "\nsluice_accept_latency_seconds_bucket{listener=\"default\",le=\"+Inf\"} 2\n",
                // the suppression filter, shipped and active: asked at RCPT and before each delivery attempt
                "\nsluice_filter_duration_seconds_count{filter=\"suppression\",stage=\"rcpt\",outcome=\"continue\"} 2\n",
                // the static route's host, looked up once and then taken from the cache
                "\nsluice_dns_query_seconds_count{type=\"A\",result=\"ok\"} 1\n")) {
            assertTrue("no " + sample.strip() + " in\n" + text, text.contains(sample));
        }
        // at least bob's and carol's first attempts and bob's delivery
        double attempts = sample(text, "sluice_delivery_attempt_seconds_count");
        assertTrue(text, attempts >= 3);
        assertEquals(text, attempts, sample(text, "sluice_filter_duration_seconds_count{filter=\"suppression\","
                + "stage=\"predelivery\",outcome=\"continue\"}"), 0);
        assertTrue(text, sample(text, "sluice_dns_cache_hits_total") >= 1);
        try (SmtpClient open = new SmtpClient(sluice.smtpPort())) {
            assertTrue(sluice.getAsAdmin("/metrics").body()
                    .contains("\nsluice_inbound_open_connections{listener=\"default\"} 1\n"));
        }
    }

    @Test
    public void b_theConsolesOwnConfigurationRequestsStillWorkAndAreAudited() throws Exception {
        fx.browser.get(fx.url("/system/console/configMgr"));
        saveRefreshSeconds("30");
        assertTrue("the queue page never took the new setting", awaitPage(
                () -> fx.body("/system/console/sluice-queue").contains("data-refresh-seconds='30'")));
        String log = sluice.log();
        assertTrue(log, log.contains("via=http user=\"admin\" action=\"POST action=ajaxConfigManager\" "
                + "target=\"/system/console/configMgr/dev.sluice.webconsole.queue\""));
        assertTrue(log, log.contains("via=configadmin user=- action=\"config.updated\" target=\"dev.sluice.webconsole.queue\""));

        // Out of its range (0 to 3600): the page refuses to start, and the log says which key and why.
        saveRefreshSeconds("99999");
        assertTrue("no log line naming the key", sluice.awaitLog(WAIT, "refreshSeconds: must be 0 to 3600, was 99999"));
        saveRefreshSeconds("30");
        assertTrue("the queue page never came back", awaitPage(
                () -> fx.body("/system/console/sluice-queue").contains("data-refresh-seconds='30'")));
    }

    /** What the Configuration page's save button sends, from the page itself (same origin). */
    private static void saveRefreshSeconds(String value) {
        Object status = ((JavascriptExecutor) fx.browser).executeScript("var x = new XMLHttpRequest();"
                + "x.open('POST', '/system/console/configMgr/dev.sluice.webconsole.queue', false);"
                + "x.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');"
                + "x.send('apply=true&action=ajaxConfigManager&propertylist=refreshSeconds&refreshSeconds=" + value + "');"
                + "return x.status;");
        assertTrue("status " + status, status instanceof Number n && n.intValue() < 400);
    }

    @Test
    public void c_aPluginIsInstalledAndUninstalledOnTheBundlesPageWhileMailFlows() throws Exception {
        Path jar = Path.of(System.getProperty("sluice.example.filter.jar",
                "target/examples/filter-example/target/sluice-filter-example-1.0.0.jar"));
        assertTrue("the example was not built by maven-invoker: " + jar, Files.isRegularFile(jar));
        BundlesPage bundles = new BundlesPage(fx.browser, fx.url("/system/console/bundles"));
        TestSmtpServer receiver = fx.receiver;
        // one message a second: within the default inbound limit of 120 per minute and client
        ContinuousLoad load = new ContinuousLoad(sluice.smtpPort(), "bundles", 1, 1);
        try {
            awaitAccepted(load, 5);
            fx.navigateBy(() -> bundles.install(jar));
            assertTrue("the plugin never became active: " + bundles.status(PLUGIN), awaitPage(() -> {
                bundles.open();
                return bundles.status(PLUGIN).equals("Active");
            }));
            assertTrue("no mail tagged by the plugin", SluiceDistribution.await(WAIT, () -> receiver.received().stream()
                    .anyMatch(m -> "checked".equals(m.header(PLUGIN_HEADER)))));
            bundles.filter("filter");
            fx.screenshot("bundles.png");

            bundles.open();
            assertTrue(PLUGIN + " is not listed on the Bundles page", awaitPage(() -> bundles.uninstall(PLUGIN)));
            assertTrue("the row stayed: " + bundles.status(PLUGIN), awaitPage(() -> bundles.status(PLUGIN).isEmpty()));
            assertFalse(fx.body("/system/console/bundles.json").contains("\"symbolicName\":\"" + PLUGIN + "\""));
            long uninstalled = System.nanoTime();
            awaitAccepted(load, 5);
            Set<String> after = load.accepted().entrySet().stream().filter(e -> e.getValue() > uninstalled)
                    .map(Map.Entry::getKey).collect(Collectors.toSet());
            assertTrue("mail accepted after the uninstall never arrived", SluiceDistribution.await(WAIT,
                    () -> MailLoad.ids(receiver.received()).containsAll(after)));
            assertTrue("mail accepted after the uninstall was still tagged", receiver.received().stream()
                    .filter(m -> after.contains(MailLoad.ids(List.of(m)).get(0)))
                    .noneMatch(m -> m.header(PLUGIN_HEADER) != null));
        } finally {
            load.close();
        }
        assertEquals("5xx replies", List.of(), load.permanentFailures());
        load.assertAllArrived(receiver, Duration.ofSeconds(60));
    }

    private static void awaitAccepted(ContinuousLoad load, int more) throws InterruptedException {
        int target = load.acceptedCount() + more;
        assertTrue("mail stopped flowing: " + load.failures(), SluiceDistribution.await(WAIT,
                () -> load.acceptedCount() >= target));
    }

    /** The value of one series in a scrape. */
    private static double sample(String scrape, String series) {
        Matcher m = Pattern.compile("\n" + Pattern.quote(series) + " (\\S+)\n").matcher(scrape);
        assertTrue("no " + series + " in\n" + scrape, m.find());
        return Double.parseDouble(m.group(1));
    }
}
