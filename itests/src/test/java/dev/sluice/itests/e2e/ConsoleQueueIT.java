package dev.sluice.itests.e2e;

import static dev.sluice.itests.e2e.ConsoleFixture.BOB;
import static dev.sluice.itests.e2e.ConsoleFixture.DEFER_REPLY;
import static dev.sluice.itests.e2e.ConsoleFixture.HOSTILE_SENDER;
import static dev.sluice.itests.e2e.ConsoleFixture.HOSTILE_SUBJECT;
import static dev.sluice.itests.e2e.ConsoleFixture.RECEIVER_HOST;
import static dev.sluice.itests.e2e.ConsoleFixture.WAIT;
import static dev.sluice.itests.e2e.ConsoleFixture.awaitPage;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * An operator's day on the queue pages, in a real browser against the real distribution: mail for a destination
 * that answers 451 is queued; the operator logs in with the generated password, finds it by recipient, reads its
 * per-recipient state and attempts, sees the destination throttled, holds and releases it, and once the receiver
 * accepts again presses "retry now" and finds the delivery in the delivery log. Refusals are checked too: bulk
 * actions need the confirmation dialog, POSTs need the CSRF token, and hostile values in sender and subject are
 * shown as text and never run. Every action answers with a redirect to a page (303 See Other), so reloading that
 * page repeats nothing. The tests are one story, in name order.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ConsoleQueueIT {

    private static final String SITE = "route:receiver";

    private static ConsoleFixture fx;
    private static WebDriver browser;
    private static SluiceDistribution sluice;
    private static String bobId;
    private static String carolId;

    @BeforeClass
    public static void startAndQueueTwoMessages() throws Exception {
        fx = ConsoleFixture.start("console-queue");
        browser = fx.browser;
        sluice = fx.sluice;
        List<String> ids = fx.queueBobAndCarol();
        bobId = ids.get(0);
        carolId = ids.get(1);
    }

    @AfterClass
    public static void stopEverything() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    public void a_loginWithTheGeneratedPasswordOpensTheQueuePage() throws Exception {
        browser.get(fx.url("/system/console/sluice-queue"));
        assertTrue("without credentials the console must not show the queue",
                browser.findElements(By.id("sluice-totals")).isEmpty());

        fx.logIn();
        assertTrue(browser.getTitle(), browser.getTitle().endsWith("Mail queue"));
        // Both messages got their first attempt (451) once the counts say two deferred recipients.
        assertTrue("counts never showed 2 deferred recipients: " + totals(), awaitPage(() -> {
            browser.navigate().refresh();
            return totals().startsWith("2 0 0 2 ");
        }));
    }

    @Test
    public void b_searchByRecipientShowsTheMessageWithItsStateAndAttempt() throws Exception {
        browser.get(fx.url("/system/console/sluice-queue"));
        browser.findElement(By.cssSelector("#sluice-search input[name='recipient']")).sendKeys("bob@");
        fx.navigateBy(() -> browser.findElement(By.id("sluice-search-submit")).click());
        List<WebElement> rows = browser.findElements(By.cssSelector("#sluice-results tbody tr"));
        assertEquals("one message for bob", 1, rows.size());
        assertTrue(rows.get(0).getText(), rows.get(0).getText().startsWith(bobId + " "));
        assertTrue(rows.get(0).getText(), rows.get(0).getText().contains("example.test"));
        fx.screenshot("queue.png");

        fx.navigateBy(() -> browser.findElement(By.linkText(bobId)).click());
        assertEquals("Message " + bobId, browser.findElement(By.tagName("h3")).getText());
        String recipient = browser.findElement(By.cssSelector("#sluice-recipients tbody tr")).getText();
        assertTrue(recipient, recipient.contains(BOB) && recipient.contains("DEFERRED"));
        assertTrue("the attempt and its reply: " + recipient, recipient.contains(RECEIVER_HOST + "[127.0.0.1]: " + DEFER_REPLY));
        assertTrue(envelope("sender"), envelope("sender").equals("news@sender.test"));
        fx.screenshot("message.png");
    }

    @Test
    public void c_destinationsPageShowsTheDeferringDestination() throws Exception {
        browser.get(fx.url("/system/console/sluice-destinations"));
        WebElement row = browser.findElement(By.cssSelector("#sluice-paths tr[data-site='" + SITE + "']"));
        List<WebElement> cells = row.findElements(By.tagName("td"));
        assertTrue("deferrals/min of " + row.getText(), Double.parseDouble(cells.get(4).getText()) > 0);
        // Two "try again later" replies within minutes: the built-in backoff rule throttles the path, and says why.
        String suspension = cells.get(6).getText();
        assertTrue(suspension, suspension.startsWith("throttle to ")
                && suspension.contains(" by rule rate-limited after reply " + DEFER_REPLY));
        fx.screenshot("destinations.png");
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
        fx.navigateBy(() -> browser.navigate().refresh());
        assertEquals("hold: 1 message(s) (id=" + bobId + ")", browser.findElement(By.id("sluice-result")).getText());
        assertEquals("the reload repeated the hold", 1, sluice.log().split(Pattern.quote(holds), -1).length - 1);

        action(bobId, "release");
        assertEquals("release: 1 message(s) (id=" + bobId + ")", browser.findElement(By.id("sluice-result")).getText());
        assertEquals("", resultCell(bobId, 3));
        assertTrue(sluice.log().contains("user=\"admin\" action=\"queue.hold\" target=\"id=" + bobId + "\" result=\"1 message(s)\""));
    }

    @Test
    public void d2_aHeldDestinationStaysInSightUntilReleased() throws Exception {
        browser.get(fx.url("/system/console/sluice-queue"));
        fx.navigateBy(() -> {
            browser.findElement(By.cssSelector("#sluice-destinations form[data-destination='example.test'] button[value='hold']")).click();
            fx.awaitAlert().accept();
        });
        assertEquals("hold: 2 message(s) (destination=example.test)", browser.findElement(By.id("sluice-result")).getText());
        assertTrue(browser.findElement(By.id("sluice-held-destinations")).getText().contains("example.test"));
        fx.navigateBy(() -> {
            browser.findElement(By.cssSelector("form[data-held-destination='example.test'] button[value='release']")).click();
            fx.awaitAlert().accept();
        });
        assertEquals("release: 2 message(s) (destination=example.test)", browser.findElement(By.id("sluice-result")).getText());
        assertTrue(browser.findElements(By.id("sluice-held-destinations")).isEmpty());
    }

    @Test
    public void e_bulkActionWithoutConfirmationIsRefused() throws Exception {
        searchFor("example.test");
        assertEquals(2, browser.findElements(By.cssSelector("#sluice-results tbody tr")).size());
        browser.findElement(By.cssSelector("#sluice-bulk button[value='delete']")).click();
        Alert dialog = fx.awaitAlert();
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
        assertTrue(fx.body("/system/console/sluice-queue?recipient=example.test").contains("messages 1–2"));

        // Confirmed in the dialog, the same bulk form acts on every match.
        searchFor("example.test");
        for (String action : List.of("hold", "release")) {
            fx.navigateBy(() -> {
                browser.findElement(By.cssSelector("#sluice-bulk button[value='" + action + "']")).click();
                fx.awaitAlert().accept();
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
        assertEquals("[]", fx.body("/system/console/configMgr/dev.sluice.itest.crosssite.json").strip());
        assertTrue(sluice.log().contains("target=\"/system/console/configMgr/dev.sluice.itest.crosssite\" "
                + "result=\"refused: sent by a page of http://evil.example, not of this server"));
        assertTrue("the message must not be held", fx.body("/system/console/sluice-queue?show=" + bobId)
                .contains("<th>held</th><td>no</td>"));
        assertTrue(sluice.log().contains("action=\"queue.hold\" target=\"-\" result=\"rejected: missing or invalid CSRF token\""));
    }

    @Test
    public void g_hostileSenderAndSubjectAreShownAsTextAndNeverRun() throws Exception {
        browser.get(fx.url("/system/console/sluice-queue?show=" + carolId));
        assertEquals(HOSTILE_SENDER, envelope("sender"));
        String subject = browser.findElement(By.xpath("//table[@id='sluice-headers']//tr[td[1]='Subject']/td[2]")).getText();
        assertEquals(HOSTILE_SUBJECT, subject);
        assertNoScriptRan();
        browser.get(fx.url("/system/console/sluice-delivery-log?recipient=carol"));
        assertTrue(browser.findElement(By.id("sluice-log")).getText().contains(HOSTILE_SENDER));
        assertNoScriptRan();
    }

    @Test
    public void h_retryNowDeliversAndTheDeliveryLogShowsIt() throws Exception {
        fx.accepting.set(true);
        searchFor("bob@");
        action(bobId, "retry");
        assertEquals("retry: 1 message(s) (id=" + bobId + ")", browser.findElement(By.id("sluice-result")).getText());
        assertTrue("the receiver never got bob's message", SluiceDistribution.await(WAIT,
                () -> fx.receiver.received().stream().anyMatch(m -> m.recipients().contains(BOB))));

        browser.get(fx.url("/system/console/sluice-delivery-log"));
        browser.findElement(By.cssSelector("#sluice-log-filter input[name='recipient']")).sendKeys("bob@");
        fx.navigateBy(() -> browser.findElement(By.cssSelector("#sluice-log-filter button")).click());
        assertTrue("no delivered line for bob: " + logRows(), awaitPage(() -> {
            browser.navigate().refresh();
            return logRows().stream().anyMatch(r -> r.contains(" delivered " + bobId + " news@sender.test " + BOB + " "));
        }));
        assertTrue("every line shown is bob's", logRows().stream().allMatch(r -> r.contains(BOB)));
        fx.screenshot("delivery-log.png");

        searchFor("bob@");
        assertEquals("no matching message", browser.findElement(By.id("sluice-paging")).getText().strip());
    }

    /** The counts row as text: messages, held, then recipients pending, deferred, delivered, bounced, expired. */
    private static String totals() {
        List<WebElement> cells = browser.findElements(By.cssSelector("#sluice-totals tbody td"));
        return String.join(" ", cells.stream().map(WebElement::getText).toList());
    }

    private static void searchFor(String recipient) throws InterruptedException {
        browser.get(fx.url("/system/console/sluice-queue"));
        browser.findElement(By.cssSelector("#sluice-search input[name='recipient']")).sendKeys(recipient);
        fx.navigateBy(() -> browser.findElement(By.id("sluice-search-submit")).click());
    }

    private static void action(String queueId, String action) throws InterruptedException {
        fx.navigateBy(() -> browser.findElement(By.cssSelector("#sluice-results form[data-queue-id='" + queueId
                + "'] button[value='" + action + "']")).click());
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

    private static void assertNoScriptRan() {
        Object marker = ((JavascriptExecutor) browser).executeScript("return typeof window.sluiceXss;");
        assertEquals("a hostile value ran as script", "undefined", marker);
        assertNotNull(browser.getTitle());
        assertFalse(browser.getTitle(), browser.getTitle().contains("sluiceXss"));
    }
}
