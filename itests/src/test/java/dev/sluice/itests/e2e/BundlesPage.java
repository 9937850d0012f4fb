package dev.sluice.itests.e2e;

import java.nio.file.Path;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;

/**
 * The Felix web console's Bundles page ({@code /system/console/bundles}) in a browser, used as an administrator
 * uses it: Install/Update opens the upload dialog, a jar is chosen and installed with "Start Bundle" ticked; each
 * bundle's row has its status and, as its last icon, Uninstall. The page draws its rows with JavaScript from data
 * embedded in it, so a reload shows the current state.
 */
final class BundlesPage {

    private static final By UPLOAD_DIALOG = By.id("uploadDialog");
    /** The jQuery UI dialog around #uploadDialog carries the Install or Update button. */
    private static final By UPLOAD_BUTTON = By.xpath("//div[contains(@class,'ui-dialog')][.//div[@id='uploadDialog']]"
            + "//div[contains(@class,'ui-dialog-buttonpane')]//button");

    private final WebDriver browser;
    private final String url;

    BundlesPage(WebDriver browser, String url) {
        this.browser = browser;
        this.url = url;
    }

    void open() {
        browser.get(url);
    }

    /** Chooses the jar in the upload dialog, ticks "Start Bundle" and presses the dialog's install button. */
    void install(Path jar) {
        open();
        browser.findElement(By.cssSelector("button.installButton")).click();
        WebElement dialog = browser.findElement(UPLOAD_DIALOG);
        WebElement start = dialog.findElement(By.cssSelector("input[name='bundlestart']"));
        if (!start.isSelected()) {
            start.click();
        }
        dialog.findElement(By.cssSelector("input[type='file'][name='bundlefile']"))
                .sendKeys(jar.toAbsolutePath().toString());
        browser.findElement(UPLOAD_BUTTON).click();
    }

    /** Shows only the rows matching {@code regex}, with the page's own filter box. */
    void filter(String regex) {
        WebElement box = browser.findElement(By.cssSelector("input.filter"));
        box.clear();
        box.sendKeys(regex);
        browser.findElement(By.cssSelector("button.filterApply")).click();
    }

    /** The status column ("Active", "Resolved", …) of the bundle's row, or "" when the page lists no such bundle. */
    String status(String symbolicName) {
        try {
            WebElement row = row(symbolicName);
            return row == null ? "" : row.findElements(By.tagName("td")).get(4).getText().strip();
        } catch (WebDriverException e) {
            if (HeadlessChromium.detached(e)) {
                return "(redrawn)"; // the page redrew its rows while we looked; the caller polls again
            }
            throw e;
        }
    }

    /**
     * Presses the Uninstall icon of the bundle's row (the page asks nothing and removes the row when done). False
     * when the row is not there (yet: the page draws its rows after it loaded) or was redrawn while we looked, so
     * that the caller can wait for a row to press.
     */
    boolean uninstall(String symbolicName) {
        try {
            WebElement row = row(symbolicName);
            if (row == null) {
                return false;
            }
            List<WebElement> icons = row.findElements(By.cssSelector("td:nth-child(6) li"));
            icons.get(icons.size() - 1).click();
            return true;
        } catch (WebDriverException e) {
            if (HeadlessChromium.detached(e)) {
                return false;
            }
            throw e;
        }
    }

    private WebElement row(String symbolicName) {
        for (WebElement row : browser.findElements(By.cssSelector("#plugin_table tbody tr[id^='entry']"))) {
            if (row.findElements(By.cssSelector("span.symName")).stream()
                    .anyMatch(s -> s.getText().strip().equals(symbolicName))) {
                return row;
            }
        }
        return null;
    }
}
