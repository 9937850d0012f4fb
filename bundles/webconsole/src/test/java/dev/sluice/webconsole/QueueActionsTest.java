package dev.sluice.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.QueueId;
import dev.sluice.api.queue.QueueSelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueueActionsTest {

    private final Samples.MutableClock clock = new Samples.MutableClock();
    private final List<String> audit = new ArrayList<>();
    private final FakeQueueAdmin admin = new FakeQueueAdmin();
    private final QueuePlugin plugin = new QueuePlugin(Samples.queueConfig(50), clock, new Audit(audit::add, clock));

    /** A token the page itself rendered for this user. */
    private String token(String user) throws Exception {
        plugin.queueAdmin = admin;
        admin.summary = new dev.sluice.api.queue.QueueSummary(1, java.util.Map.of(), 0, java.util.Map.of("example.net", 1L));
        FakeHttp page = new FakeHttp(user);
        plugin.renderContent(page.request(), page.response());
        String html = page.html();
        int at = html.indexOf("name='csrf' value='") + "name='csrf' value='".length();
        admin.calls.clear();
        return html.substring(at, html.indexOf('\'', at));
    }

    private FakeHttp post(FakeHttp http) throws Exception {
        plugin.doPost(http.request(), http.response());
        return http;
    }

    /** The page the browser shows after the POST's 303 See Other. */
    private String pageAfter(FakeHttp post) throws Exception {
        FakeHttp get = post.redirect();
        plugin.renderContent(get.request(), get.response());
        return get.html();
    }

    /** The result line of the page the browser shows after the POST, without markup. */
    private String resultAfter(FakeHttp post) throws Exception {
        FakeHttp get = post.redirect();
        plugin.renderContent(get.request(), get.response());
        return get.result();
    }

    @Test
    void aPostWithoutAValidTokenIsRefusedWith403AndAudited() throws Exception {
        plugin.queueAdmin = admin;
        FakeHttp none = post(new FakeHttp("alice").param("action", "release").param("scope", "message").param("id", "ABC"));
        assertEquals(403, none.status);
        FakeHttp othersToken = post(new FakeHttp("mallory").param("csrf", token("alice")).param("action", "release")
                .param("scope", "message").param("id", "ABC"));
        assertEquals(403, othersToken.status);
        assertEquals(List.of(), admin.calls);
        assertTrue(audit.get(0).contains("user=\"alice\"") && audit.get(0).contains("rejected"), audit.toString());
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        String token = token("alice");
        clock.now = clock.now.plus(Duration.ofMinutes(61));
        FakeHttp http = post(new FakeHttp("alice").param("csrf", token).param("action", "hold").param("scope", "message")
                .param("id", "ABC"));
        assertEquals(403, http.status);
        assertEquals(List.of(), admin.calls);
    }

    @Test
    void releasingOneMessageActsAndLeavesAnAuditLine() throws Exception {
        FakeHttp http = post(new FakeHttp("alice").param("csrf", token("alice")).param("action", "release")
                .param("scope", "message").param("id", "ABC123"));
        assertEquals(303, http.status, "See Other: a reload of the next page must not post again");
        assertEquals(List.of("release"), admin.calls);
        assertEquals(QueueSelector.byId(new QueueId("ABC123")), admin.lastSelector);
        assertEquals("at=2026-11-23T10:00:00Z via=console user=\"alice\" action=\"queue.release\" target=\"id=ABC123\""
                + " result=\"1 message(s)\"", audit.get(0));
        assertEquals("release: 1 message(s) (id=ABC123)", resultAfter(http));
    }

    @Test
    void anActionSendsTheBrowserBackToTheSearchOrMessageItCameFrom() throws Exception {
        admin.page = new dev.sluice.api.queue.QueuePage(List.of(Samples.entry("ABC123")), 0, 1);
        FakeHttp search = post(new FakeHttp("alice").param("csrf", token("alice")).param("action", "hold")
                .param("scope", "message").param("id", "ABC123").param("sender", "news & co").param("held", "yes"));
        String location = search.headers.get("Location");
        assertTrue(location.startsWith("sluice-queue?sender=news%20%26%20co&held=yes&result=hold"), location);
        String page = pageAfter(search);
        assertTrue(page.contains("id='sluice-results'") && page.contains("value='news &amp; co'"), page);

        FakeHttp message = post(new FakeHttp("alice").param("csrf", token("alice")).param("action", "release")
                .param("scope", "message").param("id", "ABC123").param("show", "ABC123"));
        assertTrue(message.headers.get("Location").startsWith("sluice-queue?show=ABC123&result=release"),
                message.headers.get("Location"));
    }

    @Test
    void theResultIsShownEscapedAndOnlyWithThePagesSignatureForThisUser() throws Exception {
        FakeHttp hostile = post(new FakeHttp("alice").param("csrf", token("alice")).param("action", "hold")
                .param("scope", "destination").param("dest", "<script>x()</script>").param("confirm", "yes"));
        String page = pageAfter(hostile);
        assertTrue(page.contains("not a domain: &lt;script&gt;x()&lt;/script&gt;"), page);
        assertFalse(page.contains("<script>x()"), page);

        FakeHttp forged = new FakeHttp("alice").param("result", "All mail deleted, call +1 555 0100")
                .param("rsig", "AAAA");
        plugin.renderContent(forged.request(), forged.response());
        assertEquals("", forged.result(), "an unsigned result is not shown");

        FakeHttp done = post(new FakeHttp("alice").param("csrf", token("alice")).param("action", "retry")
                .param("scope", "message").param("id", "ABC123"));
        FakeHttp asBob = done.redirect();
        FakeHttp other = new FakeHttp("bob");
        asBob.params.forEach(other::param);
        plugin.renderContent(other.request(), other.response());
        assertEquals("", other.result(), "alice's result is not shown to bob");
    }

    @Test
    void aBulkActionWithoutConfirmationIsRefused() throws Exception {
        FakeHttp http = post(new FakeHttp("alice").param("csrf", token("alice")).param("action", "delete")
                .param("scope", "destination").param("dest", "example.net"));
        assertEquals(400, http.status);
        assertTrue(http.error.contains("confirm"), http.error);
        assertEquals(List.of(), admin.calls);
        assertTrue(audit.get(0).contains("rejected: bulk action without confirm=yes"), audit.toString());
    }

    @Test
    void aConfirmedBulkActionOnADestinationActs() throws Exception {
        admin.touched = 250;
        post(new FakeHttp("alice").param("csrf", token("alice")).param("action", "bounce").param("scope", "destination")
                .param("dest", "Example.NET").param("confirm", "yes"));
        assertEquals(List.of("bounce"), admin.calls);
        assertEquals(QueueSelector.byDestination("example.net"), admin.lastSelector);
        assertTrue(audit.get(0).contains("action=\"queue.bounce\" target=\"destination=example.net\" result=\"250 message(s)\""),
                audit.toString());
    }

    @Test
    void aConfirmedBulkActionOnASearchUsesItsCriteria() throws Exception {
        post(new FakeHttp("alice").param("csrf", token("alice")).param("action", "hold").param("scope", "search")
                .param("sender", "promo").param("held", "yes").param("confirm", "yes"));
        assertEquals(List.of("hold"), admin.calls);
        assertEquals("promo", admin.lastSelector.sender());
        assertEquals(Boolean.TRUE, admin.lastSelector.held());
    }

    @Test
    void aRunawaySenderDomainIsPurgedInOneConfirmedAction() throws Exception {
        post(new FakeHttp("alice").param("csrf", token("alice")).param("action", "delete").param("scope", "search")
                .param("senderdomain", "Spam.EXAMPLE").param("confirm", "yes"));
        assertEquals(List.of("delete"), admin.calls);
        assertEquals("spam.example", admin.lastSelector.senderDomain());
        assertEquals(null, admin.lastSelector.sender());
    }

    @Test
    void aSearchActionWithoutCriteriaNeverReachesTheQueue() throws Exception {
        FakeHttp http = post(new FakeHttp("alice").param("csrf", token("alice")).param("action", "delete")
                .param("scope", "search").param("confirm", "yes"));
        assertEquals(List.of(), admin.calls);
        assertEquals("refusing to act on the whole queue: give at least one search criterion", resultAfter(http));
        assertTrue(audit.get(0).contains("failed"), audit.toString());
    }

    @Test
    void anUnknownActionIsABadRequest() throws Exception {
        FakeHttp http = post(new FakeHttp("alice").param("csrf", token("alice")).param("action", "format-disk")
                .param("scope", "message").param("id", "A1"));
        assertEquals(400, http.status);
        assertEquals(List.of(), admin.calls);
    }

    @Test
    void withoutTheQueueTheActionIsReportedAsNotDone() throws Exception {
        String token = token("alice");
        plugin.queueAdmin = null;
        FakeHttp http = post(new FakeHttp("alice").param("csrf", token).param("action", "retry").param("scope", "message")
                .param("id", "A1"));
        assertEquals("queue not available (the scheduler is stopped or being updated)", resultAfter(http));
        assertTrue(audit.get(0).contains("failed"), audit.toString());
    }

    @Test
    void bulkFormsAskForConfirmationInTheBrowser() {
        String form = Html.actionForm("sluice-queue", "t", java.util.Map.of("scope", "destination"), "Sure?", true, null, "hold");
        // window.confirm: in an inline handler a bare confirm would be the form's hidden field named confirm.
        assertTrue(form.contains("onsubmit=\"if(!window.confirm('Sure?'))return false;this.elements['confirm'].value='yes';"), form);
        assertTrue(form.contains("<input type='hidden' name='confirm' value=''>"), form);
    }
}
