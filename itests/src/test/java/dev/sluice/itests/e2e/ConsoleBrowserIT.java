package dev.sluice.itests.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import dev.sluice.testing.dns.TestDnsServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * An operator's day in the web console, in a real browser (headless Debian chromium through Selenium)
 * against the real distribution: mail for a destination that answers 451 is queued; the operator logs in
 * with the generated password, finds it by recipient, reads its per-recipient state and attempts, holds and
 * releases it, and once the receiver accepts again presses "retry now" and finds the delivery in the
 * delivery log. Refusals are checked too: bulk actions need the confirmation dialog, POSTs need the CSRF
 * token, and hostile values in sender and subject are shown as text and never run. Every action answers with a
 * redirect to a page (303 See Other), so reloading that page repeats nothing. The static route names its
 * host, resolved by a test DNS server, so the scrape of {@code /metrics} has DNS timings next to the accept,
 * delivery and filter timings of that traffic. Last, while mail flows, the operator installs a filter plugin on
 * the Bundles page, sees it active and tagging mail, and uninstalls it there.
 *
 * <p>Screenshots of each page go to {@code sluice.itests.screenshots} (target/screenshots; the ones in
 * docs/screenshots were made with {@code -Dsluice.itests.screenshots=<repo>/docs/screenshots}).
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ConsoleBrowserIT {

    private static final String BOB = "bob@example.test";
    private static final String CAROL = "carol@example.test";
    private static final String SITE = "route:receiver";
    private static final String RECEIVER_HOST = "receiver.test";
    private static final String DEFER_REPLY = "451 4.7.1 greylisted, please try again later";
    private static final String HOSTILE_SENDER = "\"<script>window.sluiceXss=1</script>\"@sender.test";
    private static final String HOSTILE_SUBJECT = "<script>window.sluiceXss=2</script><img src=x onerror=\"window.sluiceXss=3\">";
    private static final Pattern QUEUED_AS = Pattern.compile("queued as (\\S+)");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PLUGIN = "com.example.sluice.filter";
    private static final String PLUGIN_HEADER = "X-Example-Filter";

    private static final AtomicBoolean accepting = new AtomicBoolean();
    private static TestSmtpServer receiver;
    private static TestDnsServer dns;
    private static SluiceDistribution sluice;
    private static HeadlessChromium chromium;
    private static WebDriver browser;
    private static Path screenshots;
    private static String bobId;
    private static String carolId;

    @BeforeClass
    public static void startSluiceReceiverAndBrowser() throws Exception {
        Path work = Path.of(System.getProperty("sluice.itests.work", "target/work"));
        screenshots = Path.of(System.getProperty("sluice.itests.screenshots", "target/screenshots"));
        chromium = HeadlessChromium.start(work.resolve("chromium"), 1280, 720);
        browser = chromium.driver();
        TestSmtpServer.Script script = new TestSmtpServer.Script();
        script.rcptReply = (rcpt, n) -> accepting.get() ? "250 2.1.5 ok" : DEFER_REPLY;
        receiver = new TestSmtpServer(script);
        dns = new TestDnsServer();
        dns.zones().add(RECEIVER_HOST + ". A 127.0.0.1");
        sluice = SluiceDistribution.unpack("browser");
        sluice.listenOnFreeSmtpPort(Map.of());
        sluice.configure("dev.sluice.routing.dns.cfg", Map.of("resolvers", dns.resolver()));
        sluice.configure("dev.sluice.routing.static-receiver.cfg", Map.of("name", "receiver",
                "domains", "example.test", "hosts", RECEIVER_HOST + ":" + receiver.port(), "tls", "none"));
        // the steady mail of the Bundles-page test: its own domain and site, away from example.test's deferrals
        sluice.route("flow", "receiver.test", "none", "127.0.0.1:" + receiver.port());
        sluice.start().awaitAllBundlesActive(Duration.ofSeconds(90));
        assertTrue("the router never took the test resolver", sluice.awaitLog(WAIT, "DNS routing via " + dns.resolver()));
        assertTrue("the static route never became active", SluiceDistribution.await(WAIT, () -> body(
                "/system/console/components.json").matches("(?s).*\"name\":\"dev.sluice.routing.dns.StaticRoute\",\"state\":\"active\".*")));
        try (SmtpClient smtp = SmtpClient.connectWhenListening(sluice.smtpPort(), WAIT)) {
            bobId = queuedAs(smtp.send("news@sender.test", List.of(BOB),
                    "From: news@sender.test\r\nTo: bob@example.test\r\nSubject: Your weekly digest\r\n\r\nHello Bob\r\n"));
            carolId = queuedAs(smtp.send(HOSTILE_SENDER, List.of(CAROL),
                    "From: x@sender.test\r\nTo: carol@example.test\r\nSubject: " + HOSTILE_SUBJECT + "\r\n\r\nHello\r\n"));
        }
    }

    @AfterClass
    public static void stopEverything() throws Exception {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            if (sluice != null) {
                sluice.close();
            }
            SluiceDistribution.closeAll(receiver, dns);
        }
    }

    @Test
    public void a_loginWithTheGeneratedPasswordOpensTheQueuePage() throws Exception {
        browser.get(url("/system/console/sluice-queue"));
        assertTrue("without credentials the console must not show the queue",
                browser.findElements(By.id("sluice-totals")).isEmpty());

        browser.get("http://admin:" + sluice.adminPassword() + "@127.0.0.1:" + sluice.httpPort() + "/system/console/sluice-queue");
        assertTrue(browser.getTitle(), browser.getTitle().endsWith("Mail queue"));
        // Both messages got their first attempt (451) once the counts say two deferred recipients.
        assertTrue("counts never showed 2 deferred recipients: " + totals(), awaitPage(() -> {
            browser.navigate().refresh();
            return totals().startsWith("2 0 0 2 ");
        }));
    }

    @Test
    public void b_searchByRecipientShowsTheMessageWithItsStateAndAttempt() throws Exception {
        browser.get(url("/system/console/sluice-queue"));
        browser.findElement(By.cssSelector("#sluice-search input[name='recipient']")).sendKeys("bob@");
        navigateBy(() -> browser.findElement(By.id("sluice-search-submit")).click());
        List<WebElement> rows = browser.findElements(By.cssSelector("#sluice-results tbody tr"));
        assertEquals("one message for bob", 1, rows.size());
        assertTrue(rows.get(0).getText(), rows.get(0).getText().startsWith(bobId + " "));
        assertTrue(rows.get(0).getText(), rows.get(0).getText().contains("example.test"));
        chromium.screenshot(screenshots.resolve("queue.png"));

        navigateBy(() -> browser.findElement(By.linkText(bobId)).click());
        assertEquals("Message " + bobId, browser.findElement(By.tagName("h3")).getText());
        String recipient = browser.findElement(By.cssSelector("#sluice-recipients tbody tr")).getText();
        assertTrue(recipient, recipient.contains(BOB) && recipient.contains("DEFERRED"));
        assertTrue("the attempt and its reply: " + recipient, recipient.contains(RECEIVER_HOST + "[127.0.0.1]: " + DEFER_REPLY));
        assertTrue(envelope("sender"), envelope("sender").equals("news@sender.test"));
        chromium.screenshot(screenshots.resolve("message.png"));
    }

    @Test
    public void c_destinationsPageShowsTheDeferringDestination() throws Exception {
        browser.get(url("/system/console/sluice-destinations"));
        WebElement row = browser.findElement(By.cssSelector("#sluice-paths tr[data-site='" + SITE + "']"));
        List<WebElement> cells = row.findElements(By.tagName("td"));
        assertTrue("deferrals/min of " + row.getText(), Double.parseDouble(cells.get(4).getText()) > 0);
        // Two "try again later" replies within minutes: the built-in backoff rule throttles the path, and says why.
        String suspension = cells.get(6).getText();
        assertTrue(suspension, suspension.startsWith("throttle to ")
                && suspension.contains(" by rule rate-limited after reply " + DEFER_REPLY));
        chromium.screenshot(screenshots.resolve("destinations.png"));
    }

    @Test
    public void d_holdAndReleaseFromTheSearchResults() throws Exception {
        searchFor("bob@");
        action(bobId, "hold");
        assertEquals("hold: 1 message(s) (id=" + bobId + ")", browser.findElement(By.id("sluice-result")).getText());
        assertEquals("held", resultCell(bobId, 3));
        // The action answered with a redirect: the browser shows a GET of the search, and reloading it holds nothing.
        assertTrue(browser.getCurrentUrl(), browser.getCurrentUrl().contains("/system/console/sluice-queue?recipient=bob%40&")
                && browser.getCurrentUrl().contains("&result=hold"));
        String holds = "action=\"queue.hold\" target=\"id=" + bobId + "\"";
        navigateBy(() -> browser.navigate().refresh());
        assertEquals("hold: 1 message(s) (id=" + bobId + ")", browser.findElement(By.id("sluice-result")).getText());
        assertEquals("the reload repeated the hold", 1, sluice.log().split(Pattern.quote(holds), -1).length - 1);

        action(bobId, "release");
        assertEquals("release: 1 message(s) (id=" + bobId + ")", browser.findElement(By.id("sluice-result")).getText());
        assertEquals("", resultCell(bobId, 3));
        assertTrue(sluice.log().contains("user=\"admin\" action=\"queue.hold\" target=\"id=" + bobId + "\" result=\"1 message(s)\""));
    }

    @Test
    public void d2_aHeldDestinationStaysInSightUntilReleased() throws Exception {
        browser.get(url("/system/console/sluice-queue"));
        navigateBy(() -> {
            browser.findElement(By.cssSelector("#sluice-destinations form[data-destination='example.test'] button[value='hold']")).click();
            awaitAlert().accept();
        });
        assertEquals("hold: 2 message(s) (destination=example.test)", browser.findElement(By.id("sluice-result")).getText());
        assertTrue(browser.findElement(By.id("sluice-held-destinations")).getText().contains("example.test"));
        navigateBy(() -> {
            browser.findElement(By.cssSelector("form[data-held-destination='example.test'] button[value='release']")).click();
            awaitAlert().accept();
        });
        assertEquals("release: 2 message(s) (destination=example.test)", browser.findElement(By.id("sluice-result")).getText());
        assertTrue(browser.findElements(By.id("sluice-held-destinations")).isEmpty());
    }

    @Test
    public void e_bulkActionWithoutConfirmationIsRefused() throws Exception {
        searchFor("example.test");
        assertEquals(2, browser.findElements(By.cssSelector("#sluice-results tbody tr")).size());
        browser.findElement(By.cssSelector("#sluice-bulk button[value='delete']")).click();
        Alert dialog = awaitAlert();
        assertTrue(dialog.getText(), dialog.getText().startsWith("Apply to EVERY message matching this search"));
        dialog.dismiss();
        searchFor("example.test");
        assertEquals("declining the dialog deletes nothing", 2,
                browser.findElements(By.cssSelector("#sluice-results tbody tr")).size());

        // The same form posted without the dialog's confirm=yes, with a valid token, as a script would.
        String token = browser.findElement(By.cssSelector("#sluice-bulk input[name='csrf']")).getAttribute("value");
        HttpResponse<String> refused = sluice.postAsAdmin("/system/console/sluice-queue", Map.of("csrf", token,
                "scope", "search", "recipient", "example.test", "action", "delete"));
        assertEquals(refused.body(), 400, refused.statusCode());
        assertTrue(refused.body(), refused.body().contains("A bulk action needs confirmation"));
        assertTrue(body("/system/console/sluice-queue?recipient=example.test").contains("messages 1–2"));

        // Confirmed in the dialog, the same bulk form acts on every match.
        searchFor("example.test");
        for (String action : List.of("hold", "release")) {
            navigateBy(() -> {
                browser.findElement(By.cssSelector("#sluice-bulk button[value='" + action + "']")).click();
                awaitAlert().accept();
            });
            assertEquals(action + ": 2 message(s) (recipient=example.test)",
                    browser.findElement(By.id("sluice-result")).getText());
        }
        assertTrue(sluice.log().contains("action=\"queue.delete\" target=\"recipient=example.test\" "
                + "result=\"rejected: bulk action without confirm=yes\""));
    }

    @Test
    public void f_postWithoutValidCsrfTokenIsRefused() throws Exception {
        String destinationsToken = sluice.csrfToken("/system/console/sluice-destinations");
        for (Map<String, String> form : List.of(
                Map.of("scope", "message", "id", bobId, "action", "hold"),
                Map.of("csrf", "1796190000.forged", "scope", "message", "id", bobId, "action", "hold"),
                Map.of("csrf", destinationsToken, "scope", "message", "id", bobId, "action", "hold"))) {
            HttpResponse<String> response = sluice.postAsAdmin("/system/console/sluice-queue", form);
            assertEquals(form + ": " + response.body(), 403, response.statusCode());
        }
        // A valid token does not help a page of another site: the browser says where the form came from.
        HttpResponse<String> crossSite = sluice.postAsAdmin("/system/console/sluice-queue", Map.of("csrf",
                sluice.csrfToken("/system/console/sluice-queue"), "scope", "message", "id", bobId, "action", "hold"),
                "Origin", "http://evil.example");
        assertEquals(crossSite.body(), 403, crossSite.statusCode());
        // The console's own Configuration page has no token of its own; the same check covers it.
        HttpResponse<String> configChange = sluice.postAsAdmin("/system/console/configMgr/dev.sluice.itest.crosssite",
                Map.of("apply", "true", "action", "ajaxConfigManager", "propertylist", "x", "x", "evil"),
                "Origin", "http://evil.example", "Referer", "http://evil.example/attack.html");
        assertEquals(configChange.body(), 403, configChange.statusCode());
        assertEquals("[]", body("/system/console/configMgr/dev.sluice.itest.crosssite.json").strip());
        assertTrue(sluice.log().contains("target=\"/system/console/configMgr/dev.sluice.itest.crosssite\" "
                + "result=\"refused: sent by a page of http://evil.example, not of this server"));
        assertTrue("the message must not be held", body("/system/console/sluice-queue?show=" + bobId)
                .contains("<th>held</th><td>no</td>"));
        assertTrue(sluice.log().contains("action=\"queue.hold\" target=\"-\" result=\"rejected: missing or invalid CSRF token\""));
    }

    @Test
    public void g_hostileSenderAndSubjectAreShownAsTextAndNeverRun() throws Exception {
        browser.get(url("/system/console/sluice-queue?show=" + carolId));
        assertEquals(HOSTILE_SENDER, envelope("sender"));
        String subject = browser.findElement(By.xpath("//table[@id='sluice-headers']//tr[td[1]='Subject']/td[2]")).getText();
        assertEquals(HOSTILE_SUBJECT, subject);
        assertNoScriptRan();
        browser.get(url("/system/console/sluice-delivery-log?recipient=carol"));
        assertTrue(browser.findElement(By.id("sluice-log")).getText().contains(HOSTILE_SENDER));
        assertNoScriptRan();
    }

    @Test
    public void h_retryNowDeliversAndTheDeliveryLogShowsIt() throws Exception {
        accepting.set(true);
        searchFor("bob@");
        action(bobId, "retry");
        assertEquals("retry: 1 message(s) (id=" + bobId + ")", browser.findElement(By.id("sluice-result")).getText());
        assertTrue("the receiver never got bob's message", SluiceDistribution.await(WAIT,
                () -> receiver.received().stream().anyMatch(m -> m.recipients().contains(BOB))));

        browser.get(url("/system/console/sluice-delivery-log"));
        browser.findElement(By.cssSelector("#sluice-log-filter input[name='recipient']")).sendKeys("bob@");
        navigateBy(() -> browser.findElement(By.cssSelector("#sluice-log-filter button")).click());
        assertTrue("no delivered line for bob: " + logRows(), awaitPage(() -> {
            browser.navigate().refresh();
            return logRows().stream().anyMatch(r -> r.contains(" delivered " + bobId + " news@sender.test " + BOB + " "));
        }));
        assertTrue("every line shown is bob's", logRows().stream().allMatch(r -> r.contains(BOB)));
        chromium.screenshot(screenshots.resolve("delivery-log.png"));

        searchFor("bob@");
        assertEquals("no matching message", browser.findElement(By.id("sluice-paging")).getText().strip());
    }

    @Test
    public void i_metricsCountTheTrafficAndNeedCredentials() throws Exception {
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
        // at least bob's and carol's first attempts and bob's delivery (releases may have added retries)
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
    public void j_theConsolesOwnConfigurationRequestsStillWorkAndAreAudited() throws Exception {
        browser.get(url("/system/console/configMgr"));
        saveRefreshSeconds("30");
        assertTrue("the queue page never took the new setting", awaitPage(
                () -> body("/system/console/sluice-queue").contains("data-refresh-seconds='30'")));
        String log = sluice.log();
        assertTrue(log, log.contains("via=http user=\"admin\" action=\"POST action=ajaxConfigManager\" "
                + "target=\"/system/console/configMgr/dev.sluice.webconsole.queue\""));
        assertTrue(log, log.contains("via=configadmin user=- action=\"config.updated\" target=\"dev.sluice.webconsole.queue\""));

        // Out of its range (0 to 3600): the page refuses to start, and the log says which key and why.
        saveRefreshSeconds("99999");
        assertTrue("no log line naming the key", sluice.awaitLog(WAIT, "refreshSeconds: must be 0 to 3600, was 99999"));
        saveRefreshSeconds("30");
        assertTrue("the queue page never came back", awaitPage(
                () -> body("/system/console/sluice-queue").contains("data-refresh-seconds='30'")));
    }

    /** What the Configuration page's save button sends, from the page itself (same origin). */
    private static void saveRefreshSeconds(String value) {
        Object status = ((JavascriptExecutor) browser).executeScript("var x = new XMLHttpRequest();"
                + "x.open('POST', '/system/console/configMgr/dev.sluice.webconsole.queue', false);"
                + "x.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');"
                + "x.send('apply=true&action=ajaxConfigManager&propertylist=refreshSeconds&refreshSeconds=" + value + "');"
                + "return x.status;");
        assertTrue("status " + status, status instanceof Number n && n.intValue() < 400);
    }

    @Test
    public void k_aPluginIsInstalledAndUninstalledOnTheBundlesPageWhileMailFlows() throws Exception {
        Path jar = Path.of(System.getProperty("sluice.example.filter.jar",
                "target/examples/filter-example/target/sluice-filter-example-1.0.0.jar"));
        assertTrue("the example was not built by maven-invoker: " + jar, Files.isRegularFile(jar));
        BundlesPage bundles = new BundlesPage(browser, url("/system/console/bundles"));
        // one message a second: within the default inbound limit of 120 per minute and client
        ContinuousLoad load = new ContinuousLoad(sluice.smtpPort(), "bundles", 1, 1);
        try {
            awaitAccepted(load, 5);
            navigateBy(() -> bundles.install(jar));
            assertTrue("the plugin never became active: " + bundles.status(PLUGIN), awaitPage(() -> {
                bundles.open();
                return bundles.status(PLUGIN).equals("Active");
            }));
            assertTrue("no mail tagged by the plugin", SluiceDistribution.await(WAIT, () -> receiver.received().stream()
                    .anyMatch(m -> "checked".equals(m.header(PLUGIN_HEADER)))));
            bundles.filter("filter");
            chromium.screenshot(screenshots.resolve("bundles.png"));

            bundles.open();
            bundles.uninstall(PLUGIN);
            assertTrue("the row stayed: " + bundles.status(PLUGIN), awaitPage(() -> bundles.status(PLUGIN).isEmpty()));
            assertFalse(body("/system/console/bundles.json").contains("\"symbolicName\":\"" + PLUGIN + "\""));
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

    private static String url(String path) {
        return "http://127.0.0.1:" + sluice.httpPort() + path;
    }

    private static String body(String path) {
        try {
            return sluice.getAsAdmin(path).body();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static String queuedAs(String reply) {
        Matcher m = QUEUED_AS.matcher(reply);
        assertTrue(reply, reply.startsWith("250") && m.find());
        return m.group(1);
    }

    private static boolean awaitPage(Supplier<Boolean> condition) throws InterruptedException {
        return SluiceDistribution.await(WAIT, condition::get);
    }

    /** The counts row as text: messages, held, then recipients pending, deferred, delivered, bounced, expired. */
    private static String totals() {
        List<WebElement> cells = browser.findElements(By.cssSelector("#sluice-totals tbody td"));
        return String.join(" ", cells.stream().map(WebElement::getText).toList());
    }

    private static void searchFor(String recipient) throws InterruptedException {
        browser.get(url("/system/console/sluice-queue"));
        browser.findElement(By.cssSelector("#sluice-search input[name='recipient']")).sendKeys(recipient);
        navigateBy(() -> browser.findElement(By.id("sluice-search-submit")).click());
    }

    private static void action(String queueId, String action) throws InterruptedException {
        navigateBy(() -> browser.findElement(By.cssSelector("#sluice-results form[data-queue-id='" + queueId
                + "'] button[value='" + action + "']")).click());
    }

    interface BrowserStep {
        void run() throws InterruptedException;
    }

    /** Runs a step that leaves the page (a link, a form), then waits until the old page is gone. */
    private static void navigateBy(BrowserStep step) throws InterruptedException {
        WebElement oldPage = browser.findElement(By.tagName("html"));
        step.run();
        assertTrue("the browser stayed on " + browser.getCurrentUrl(), SluiceDistribution.await(WAIT, () -> {
            try {
                oldPage.isDisplayed();
                return false;
            } catch (StaleElementReferenceException e) {
                return true;
            }
        }));
    }

    private static String resultCell(String queueId, int column) {
        WebElement row = browser.findElement(By.xpath("//table[@id='sluice-results']//tr[td[1]/a='" + queueId + "']"));
        return row.findElements(By.tagName("td")).get(column).getText();
    }

    private static String envelope(String name) {
        return browser.findElement(By.xpath("//table[@id='sluice-envelope']//tr[th='" + name + "']/td")).getText();
    }

    private static List<String> logRows() {
        return browser.findElements(By.cssSelector("#sluice-log tbody tr")).stream().map(WebElement::getText).toList();
    }

    private static Alert awaitAlert() throws InterruptedException {
        Alert[] alert = new Alert[1];
        assertTrue("the page asked no confirmation", SluiceDistribution.await(WAIT, () -> {
            try {
                alert[0] = browser.switchTo().alert();
                return true;
            } catch (NoAlertPresentException e) {
                return false;
            }
        }));
        return alert[0];
    }

    private static void assertNoScriptRan() {
        Object marker = ((JavascriptExecutor) browser).executeScript("return typeof window.sluiceXss;");
        assertEquals("a hostile value ran as script", "undefined", marker);
        assertNotNull(browser.getTitle());
        assertFalse(browser.getTitle(), browser.getTitle().contains("sluiceXss"));
    }
}
