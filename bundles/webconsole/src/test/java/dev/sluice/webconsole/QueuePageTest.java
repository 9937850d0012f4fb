package dev.sluice.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.queue.QueuePage;
import dev.sluice.api.queue.QueueSummary;
import dev.sluice.api.queue.RecipientStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueuePageTest {

    private final List<String> audit = new ArrayList<>();
    private final FakeQueueAdmin admin = new FakeQueueAdmin();
    private final QueuePlugin plugin = new QueuePlugin(Samples.queueConfig(50), new Samples.MutableClock(),
            new Audit(audit::add, new Samples.MutableClock()));

    private String render(FakeHttp http) throws Exception {
        plugin.renderContent(http.request(), http.response());
        return http.html();
    }

    @Test
    void aScriptInTheSenderIsEscapedInTheMessageDetail() throws Exception {
        plugin.queueAdmin = admin;
        admin.detail = Samples.detail("ABC123", "<script>alert(1)</script>@example.com", "rcpt@example.net");
        String html = render(new FakeHttp("alice").param("show", "ABC123"));
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;@example.com"), html);
        assertFalse(html.contains("<script>alert"), html);
        assertTrue(html.contains("&lt;b&gt;hello&lt;/b&gt;"), "header values are escaped: " + html);
        assertTrue(html.contains("451 4.7.1 try &lt;later&gt;"), "attempt history is shown: " + html);
        assertTrue(html.contains("DEFERRED"), html);
    }

    @Test
    void searchCriteriaAreEchoedEscaped() throws Exception {
        plugin.queueAdmin = admin;
        String html = render(new FakeHttp("alice").param("sender", "'><script>x()</script>"));
        assertFalse(html.contains("<script>x()"), html);
        assertTrue(html.contains("value='&#39;&gt;&lt;script&gt;x()&lt;/script&gt;'"), html);
    }

    @Test
    void pagingParametersGoToTheSearch() throws Exception {
        plugin.queueAdmin = admin;
        admin.page = new QueuePage(List.of(Samples.entry("AAA"), Samples.entry("BBB")), -1, 100);
        String html = render(new FakeHttp("alice").param("sender", "news").param("destination", "Example.NET")
                .param("offset", "100").param("limit", "2"));
        assertEquals(100, admin.lastOffset);
        assertEquals(2, admin.lastLimit);
        assertEquals("news", admin.lastSelector.sender());
        assertEquals("example.net", admin.lastSelector.destination());
        assertTrue(html.contains("data-queue-id='AAA'") && html.contains("data-queue-id='BBB'"), html);
        assertTrue(html.contains("id='sluice-next' href='sluice-queue?sender=news&amp;destination=Example.NET&amp;offset=102&amp;limit=2'"), html);
        assertTrue(html.contains("id='sluice-prev'"), html);
    }

    @Test
    void limitIsCappedAndNegativeOffsetClamped() throws Exception {
        plugin.queueAdmin = admin;
        render(new FakeHttp("alice").param("recipient", "bob").param("offset", "-5").param("limit", "999999"));
        assertEquals(0, admin.lastOffset);
        assertEquals(1000, admin.lastLimit);
    }

    @Test
    void withoutCriteriaTheQueueIsNotSearched() throws Exception {
        plugin.queueAdmin = admin;
        admin.summary = new QueueSummary(1_000_000, Map.of(RecipientStatus.PENDING, 900_000L), 7,
                Map.of("a.example", 10L, "b.example", 500L, "c.example", 20L, "d.example", 1L));
        String html = render(new FakeHttp("alice"));
        assertEquals(List.of("summary"), admin.calls);
        assertNull(admin.lastSelector);
        assertTrue(html.contains("<td>1000000</td><td>7</td><td>900000</td>"), html);
        assertTrue(html.indexOf("b.example") < html.indexOf("c.example") && html.indexOf("c.example") < html.indexOf("a.example"),
                "largest destinations first: " + html);
        assertFalse(html.contains("d.example"), "only the top 3 are listed: " + html);
        assertTrue(html.contains("1 more destination(s)"), html);
    }

    @Test
    void heldDestinationsAreShownWithTheirRelease() throws Exception {
        plugin.queueAdmin = admin;
        assertFalse(render(new FakeHttp("alice")).contains("sluice-held-destinations"), "none held: no table");
        admin.heldDestinations = java.util.Set.of("b.example", "a<x>.example");
        String html = render(new FakeHttp("alice"));
        assertTrue(html.contains("id='sluice-held-destinations'"), html);
        assertTrue(html.indexOf("a&lt;x&gt;.example") < html.indexOf("<td>b.example</td>"), "escaped, sorted: " + html);
        assertTrue(html.contains("data-held-destination='b.example'"), html);
        assertTrue(html.contains("<input type='hidden' name='dest' value='b.example'>"), html);
        assertTrue(html.contains("name='action' value='release'"), html);
    }

    @Test
    void countsFragmentIsServedForTheAutoRefresh() throws Exception {
        plugin.queueAdmin = admin;
        admin.summary = new QueueSummary(42, Map.of(), 0, Map.of("x.example", 42L));
        FakeHttp http = new FakeHttp("alice");
        http.pathInfo = "/sluice-queue/counts";
        plugin.doGet(http.request(), http.response());
        assertEquals("text/html;charset=UTF-8", http.contentType);
        assertTrue(http.html().contains("<td>42</td>") && http.html().contains("x.example"), http.html());
        assertFalse(http.html().contains("<html"), "a fragment, not a page");
    }

    @Test
    void withoutTheQueueServiceThePageSaysSo() throws Exception {
        String html = render(new FakeHttp("alice").param("sender", "x"));
        assertTrue(html.contains("Queue not available"), html);
    }

    @Test
    void anUnknownMessageIsReported() throws Exception {
        plugin.queueAdmin = admin;
        String html = render(new FakeHttp("alice").param("show", "NOPE1"));
        assertTrue(html.contains("no message with queue id NOPE1"), html);
        String bad = render(new FakeHttp("alice").param("show", "../etc"));
        assertTrue(bad.contains("not a queue id"), bad);
    }
}
