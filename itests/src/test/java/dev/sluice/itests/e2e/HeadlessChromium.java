package dev.sluice.itests.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's {@code chromium} driven through its {@code chromium-driver}, headless, offline and with a
 * throw-away profile. Both binaries must be installed ({@code .ci/run} installs them): a missing one fails
 * the test with a message saying so, because a browser test that skips itself proves nothing.
 */
public final class HeadlessChromium implements AutoCloseable {

    static final Path BROWSER = Path.of(System.getProperty("sluice.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("sluice.chromedriver", "/usr/bin/chromedriver"));

    private final Path profile;
    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private HeadlessChromium(Path profile, ChromeDriverService service, ChromeDriver driver) {
        this.profile = profile;
        this.service = service;
        this.driver = driver;
    }

    /** Starts chromedriver and a browser with a fresh profile below {@code workDir}. */
    public static HeadlessChromium start(Path workDir, int width, int height) throws IOException {
        for (Path binary : new Path[] {BROWSER, DRIVER}) {
            if (!Files.isExecutable(binary)) {
                throw new AssertionError(binary + " is missing: the browser test needs Debian's chromium and "
                        + "chromium-driver (apt-get install chromium chromium-driver; .ci/run installs them)");
            }
        }
        Files.createDirectories(workDir);
        Path profile = Files.createTempDirectory(workDir, "chromium-profile-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        // Without these, chromium on a machine with no network stalls on sync, updates and first-run screens.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "--hide-scrollbars",
                "--lang=en-US");
        options.setPageLoadTimeout(Duration.ofSeconds(30));
        options.setScriptTimeout(Duration.ofSeconds(10));
        // Tests answer confirm() dialogs themselves; the driver must not dismiss them on the next command.
        options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(workDir.resolve("chromedriver.log").toFile())
                .build();
        try {
            return new HeadlessChromium(profile, service, new ChromeDriver(service, options));
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Saves what the browser shows now as a PNG. */
    public Path screenshot(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        return file;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteTree(profile);
        }
    }

    /** Best effort: the profile lives under target/, so a file chromium still held is no failure. */
    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("could not delete the chromium profile " + dir + ": " + e);
        }
    }

    /**
     * Whether a failed call on an element means its page was replaced: Selenium's stale element, or Chrome's
     * "does not belong to the document" when the new page replaces the old one in the middle of the call.
     */
    static boolean detached(WebDriverException e) {
        return e instanceof StaleElementReferenceException
                || String.valueOf(e.getMessage()).contains("does not belong to the document");
    }
}
