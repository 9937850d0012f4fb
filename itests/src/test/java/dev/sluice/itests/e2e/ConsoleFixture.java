package dev.sluice.itests.e2e;

import static org.junit.Assert.assertTrue;

import dev.sluice.testing.dns.TestDnsServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;

/**
 * What each web console test class starts for itself: the real distribution, a receiver that greylists example.test
 * (451) until the test has it accept, a test DNS server resolving the static route's host (so that {@code /metrics}
 * has DNS timings), a second route for steady mail to receiver.test, and a headless browser (Debian chromium through
 * Selenium). Screenshots go to {@code sluice.itests.screenshots} (target/screenshots; the ones in docs/screenshots
 * were made with {@code -Dsluice.itests.screenshots=<repo>/docs/screenshots}).
 */
final class ConsoleFixture implements AutoCloseable {

    static final String BOB = "bob@example.test";
    static final String CAROL = "carol@example.test";
    static final String RECEIVER_HOST = "receiver.test";
    static final String DEFER_REPLY = "451 4.7.1 greylisted, please try again later";
    static final String HOSTILE_SENDER = "\"<script>window.sluiceXss=1</script>\"@sender.test";
    static final String HOSTILE_SUBJECT = "<script>window.sluiceXss=2</script><img src=x onerror=\"window.sluiceXss=3\">";
    static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern QUEUED_AS = Pattern.compile("queued as (\\S+)");

    final AtomicBoolean accepting;
    final TestSmtpServer receiver;
    final SluiceDistribution sluice;
    final WebDriver browser;
    private final TestDnsServer dns;
    private final HeadlessChromium chromium;
    private final Path screenshots;

    private ConsoleFixture(AtomicBoolean accepting, TestSmtpServer receiver, TestDnsServer dns,
                           SluiceDistribution sluice, HeadlessChromium chromium) {
        this.accepting = accepting;
        this.receiver = receiver;
        this.dns = dns;
        this.sluice = sluice;
        this.chromium = chromium;
        this.browser = chromium.driver();
        this.screenshots = Path.of(System.getProperty("sluice.itests.screenshots", "target/screenshots"));
    }

    /** Everything started, with the test resolver and both routes in force; {@code name} names the work directory. */
    static ConsoleFixture start(String name) throws Exception {
        AtomicBoolean accepting = new AtomicBoolean();
        TestSmtpServer.Script script = new TestSmtpServer.Script();
        script.rcptReply = (rcpt, n) -> accepting.get() || !rcpt.contains("@example.test") ? "250 2.1.5 ok" : DEFER_REPLY;
        TestSmtpServer receiver = null;
        TestDnsServer dns = null;
        SluiceDistribution sluice = null;
        HeadlessChromium chromium = null;
        try {
            Path work = Path.of(System.getProperty("sluice.itests.work", "target/work"));
            chromium = HeadlessChromium.start(work.resolve("chromium"), 1280, 720);
            receiver = new TestSmtpServer(script);
            dns = new TestDnsServer();
            dns.zones().add(RECEIVER_HOST + ". A 127.0.0.1");
            sluice = SluiceDistribution.unpack(name);
            sluice.listenOnFreeSmtpPort(Map.of());
            sluice.configure("dev.sluice.routing.dns.cfg", Map.of("resolvers", dns.resolver()));
            sluice.configure("dev.sluice.routing.static-receiver.cfg", Map.of("name", "receiver",
                    "domains", "example.test", "hosts", RECEIVER_HOST + ":" + receiver.port(), "tls", "none"));
            sluice.route("flow", "receiver.test", "none", "127.0.0.1:" + receiver.port());
            sluice.start().awaitAllBundlesActive(Duration.ofSeconds(90));
            assertTrue("the router never took the test resolver",
                    sluice.awaitLog(WAIT, "DNS routing via " + dns.resolver()));
            sluice.awaitActiveComponents("dev.sluice.routing.dns.StaticRoute", 2, WAIT);
            return new ConsoleFixture(accepting, receiver, dns, sluice, chromium);
        } catch (Exception | Error e) {
            SluiceDistribution.closeAll(chromium, sluice, receiver, dns);
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        SluiceDistribution.closeAll(chromium, sluice, receiver, dns);
    }

    /**
     * Bob's digest and a message to Carol whose sender and subject are hostile markup, over one SMTP session; their
     * queue ids. Until the test accepts example.test, both are deferred on their first attempt.
     */
    List<String> queueBobAndCarol() throws Exception {
        try (SmtpClient smtp = SmtpClient.connectWhenListening(sluice.smtpPort(), WAIT)) {
            String bob = queuedAs(smtp.send("news@sender.test", List.of(BOB),
                    "From: news@sender.test\r\nTo: bob@example.test\r\nSubject: Your weekly digest\r\n\r\nHello Bob\r\n"));
            String carol = queuedAs(smtp.send(HOSTILE_SENDER, List.of(CAROL),
                    "From: x@sender.test\r\nTo: carol@example.test\r\nSubject: " + HOSTILE_SUBJECT + "\r\n\r\nHello\r\n"));
            return List.of(bob, carol);
        }
    }

    private static String queuedAs(String reply) {
        Matcher m = QUEUED_AS.matcher(reply);
        assertTrue(reply, reply.startsWith("250") && m.find());
        return m.group(1);
    }

    void screenshot(String file) throws IOException {
        chromium.screenshot(screenshots.resolve(file));
    }

    /** Opens the queue page with the generated password in the URL: the browser then keeps the credentials. */
    void logIn() throws IOException {
        browser.get("http://admin:" + sluice.adminPassword() + "@127.0.0.1:" + sluice.httpPort() + "/system/console/sluice-queue");
    }

    String url(String path) {
        return "http://127.0.0.1:" + sluice.httpPort() + path;
    }

    /** A console page as the admin gets it, or the exception as text (for conditions that are polled). */
    String body(String path) {
        try {
            return sluice.getAsAdmin(path).body();
        } catch (Exception e) {
            return e.toString();
        }
    }

    static boolean awaitPage(Supplier<Boolean> condition) throws InterruptedException {
        return SluiceDistribution.await(WAIT, condition::get);
    }

    interface BrowserStep {
        void run() throws InterruptedException;
    }

    /** Runs a step that leaves the page (a link, a form), then waits until the old page is gone. */
    void navigateBy(BrowserStep step) throws InterruptedException {
        WebElement oldPage = browser.findElement(By.tagName("html"));
        step.run();
        assertTrue("the browser stayed on " + browser.getCurrentUrl(), SluiceDistribution.await(WAIT, () -> {
            try {
                oldPage.isDisplayed();
                return false;
            } catch (WebDriverException e) {
                if (HeadlessChromium.detached(e)) {
                    return true;
                }
                throw e;
            }
        }));
    }

    Alert awaitAlert() throws InterruptedException {
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
}
