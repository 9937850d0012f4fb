package dev.sluice.itests.e2e;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web console's Destinations page of a running node, used as an operator uses it: read the egress paths with
 * their limits and suspensions, suspend and resume a site through the page's forms (with its CSRF token).
 */
public final class DestinationsConsole {

    static final String PAGE = "/system/console/sluice-destinations";
    private static final Pattern SINCE = Pattern.compile("since (\\S+Z)");
    private static final Pattern UNTIL = Pattern.compile("until (\\S+Z)");

    private final SluiceDistribution node;

    public DestinationsConsole(SluiceDistribution node) {
        this.node = node;
    }

    public String page() throws IOException, InterruptedException {
        HttpResponse<String> r = node.getAsAdmin(PAGE);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + PAGE + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /** The text of the site's row (cells separated by " | ", markup removed), or null when it is not listed. */
    public String row(String site) throws IOException, InterruptedException {
        String html = page();
        int start = html.indexOf("<tr data-site='" + site + "'>");
        if (start < 0) {
            return null;
        }
        int end = html.indexOf("</tr>", start);
        String cells = html.substring(start, end).replaceAll("<form.*?</form>", "")
                .replaceAll("</td>", " | ").replaceAll("<br>", " ").replaceAll("<[^>]+>", "");
        return unescape(cells).trim();
    }

    /** The row, or "" when the site is not listed; never throws, for polling. */
    public String rowOrEmpty(String site) {
        return orEmpty(() -> row(site));
    }

    /**
     * The text of a tenant budget's row in the tenant table (cells separated by " | ": tenant, site, rule, rate,
     * tokens left, next message, waiting aside, shared, last used), or "" when it is not listed; never throws.
     */
    public String tenantRowOrEmpty(String tenant, String site) {
        return orEmpty(() -> {
            String html = page();
            int start = html.indexOf("<tr data-tenant='" + tenant + "' data-tenant-site='" + site + "'>");
            return start < 0 ? null : unescape(html.substring(start, html.indexOf("</tr>", start))
                    .replaceAll("</td>", " | ").replaceAll("<[^>]+>", "")).trim();
        });
    }

    private interface PageRead {
        String read() throws IOException, InterruptedException;
    }

    private static String orEmpty(PageRead read) {
        try {
            String r = read.read();
            return r == null ? "" : r;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    public String suspend(String site, int minutes, String reason) throws IOException, InterruptedException {
        return post(Map.of("action", "suspend", "site", site, "minutes", Integer.toString(minutes), "reason", reason));
    }

    public String resume(String site) throws IOException, InterruptedException {
        return post(Map.of("action", "resume", "site", site));
    }

    private String post(Map<String, String> form) throws IOException, InterruptedException {
        return unescape(node.consoleAction(PAGE, form));
    }

    static Instant since(String row) {
        return instant(SINCE, row);
    }

    static Instant until(String row) {
        return instant(UNTIL, row);
    }

    private static Instant instant(Pattern p, String row) {
        Matcher m = p.matcher(row);
        if (!m.find()) {
            throw new AssertionError("no " + p.pattern() + " in: " + row);
        }
        return Instant.parse(m.group(1));
    }

    private static String unescape(String s) {
        return s.replace("&#39;", "'").replace("&quot;", "\"").replace("&#34;", "\"").replace("&lt;", "<")
                .replace("&gt;", ">").replace("&amp;", "&");
    }
}
