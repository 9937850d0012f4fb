package dev.sluice.dsn;

import static dev.sluice.dsn.PythonMime.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.delivery.DsnAction;
import dev.sluice.api.delivery.RecipientNotice;
import dev.sluice.api.mail.BodyType;
import dev.sluice.api.mail.ClientIdentity;
import dev.sluice.api.mail.DsnReturn;
import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.MailAddress;
import dev.sluice.api.mail.Notify;
import dev.sluice.api.mail.QueueId;
import dev.sluice.api.mail.Recipient;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.mail.ReversePath;
import dev.sluice.api.queue.QueueException;
import dev.sluice.api.queue.QueuedMessage;
import dev.sluice.api.queue.QueuedRecipient;
import dev.sluice.api.queue.RecipientStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DsnBounceServiceTest {

    static final Instant ARRIVAL = Instant.parse("2026-11-20T08:00:00Z");
    static final Instant NOW = Instant.parse("2026-11-21T09:30:00Z");
    static final String ORIGINAL = "Received: from client.example (client.example [192.0.2.7])\r\n"
            + "From: Alice <alice@sender.example>\r\nTo: bob@example.com\r\nSubject: original subject\r\n"
            + "Message-ID: <orig-1@sender.example>\r\n\r\nHello Bob,\r\nthe body line.\r\n";

    @TempDir
    Path dir;
    final FakeQueue queue = new FakeQueue();

    DsnBounceService service(Map<String, Object> config) {
        return new DsnBounceService(Configs.of(DsnConfig.class, config), queue,
                Clock.fixed(NOW, ZoneOffset.UTC), "mta.test.example");
    }

    static Recipient rcpt(String address, Set<Notify> notify, String orcpt) {
        return new Recipient(MailAddress.parse(address), notify, orcpt);
    }

    QueuedMessage message(String sender, DsnReturn ret, BodyType body, String content, Recipient... rcpts) {
        Envelope envelope = new Envelope(sender == null ? ReversePath.NULL : ReversePath.of(MailAddress.parse(sender)),
                List.of(rcpts), body, false, 0, ret, "campaign-42", ClientIdentity.local("test"), ARRIVAL);
        List<QueuedRecipient> states = new ArrayList<>();
        for (int i = 0; i < rcpts.length; i++) {
            states.add(new QueuedRecipient(i, rcpts[i], RecipientStatus.BOUNCED, NOW, List.of()));
        }
        QueueId id = new QueueId("ORIG" + queue.originals.size());
        queue.originals.put(id, content.getBytes(StandardCharsets.UTF_8));
        return new QueuedMessage(id, envelope, content.length(), states, false);
    }

    static RecipientNotice failed(Recipient r, int code, String enhanced, String text) {
        return new RecipientNotice(r, DsnAction.FAILED, Reply.of(code, enhanced, text), "mx.example.com[192.0.2.25]",
                NOW.minusSeconds(60));
    }

    JsonNode parsedDsn() throws Exception {
        assertEquals(1, queue.committed.size(), "exactly one DSN queued");
        return PythonMime.parse(queue.committed.get(0).content(), dir);
    }

    @Test
    void oneFailedOfThreeGivesOneWellFormedDsnNamingExactlyThatRecipient() throws Exception {
        Recipient ann = rcpt("ann@example.com", Set.of(), null);
        Recipient bob = rcpt("bob@example.com", Set.of(), "rfc822;Bob.Original@example.org");
        Recipient cid = rcpt("cid@example.com", Set.of(), null);
        QueuedMessage message = message("alice@sender.example", DsnReturn.HEADERS, BodyType.SEVEN_BIT, ORIGINAL,
                ann, bob, cid);
        List<RecipientNotice> notices = List.of(
                new RecipientNotice(ann, DsnAction.DELIVERED, Reply.of(250, "2.0.0", "ok"), "mx.example.com", NOW),
                failed(bob, 550, "5.1.1", "<bob@example.com>: Recipient address rejected: User unknown"),
                new RecipientNotice(cid, DsnAction.DELIVERED, Reply.of(250, "2.0.0", "ok"), "mx.example.com", NOW));

        Optional<QueueId> id = service(Map.of()).notify(message, notices);

        assertEquals(Optional.of(new QueueId("DSN1")), id);
        FakeQueue.Committed dsn = queue.committed.get(0);
        assertTrue(dsn.envelope().sender().isNull(), "a DSN has the null sender");
        assertEquals(List.of(MailAddress.parse("alice@sender.example")),
                dsn.envelope().recipients().stream().map(Recipient::address).toList());
        assertEquals(Set.of(Notify.NEVER), dsn.envelope().recipients().get(0).notifyOn());

        JsonNode mime = parsedDsn();
        assertEquals("multipart/report", mime.get("content_type").asText());
        assertEquals("delivery-status", mime.get("report_type").asText());
        assertEquals(0, mime.get("all_defects").size(), mime.get("all_defects").toString());
        assertEquals(0, mime.get("bare_lf").asInt(), "only CRLF line ends");
        assertTrue(mime.get("max_line_octets").asInt() <= 998, "RFC 5322 line length");
        JsonNode headers = mime.get("headers");
        assertEquals("Mail Delivery System <MAILER-DAEMON@mta.test.example>", field(headers, "From"));
        assertEquals("alice@sender.example", field(headers, "To"));
        assertEquals("Undelivered Mail Returned to Sender", field(headers, "Subject"));
        assertEquals("auto-replied", field(headers, "Auto-Submitted"));
        assertEquals("1.0", field(headers, "MIME-Version"));
        assertEquals("Sat, 21 Nov 2026 09:30:00 +0000", field(headers, "Date"));
        assertTrue(field(headers, "Message-ID").matches("<DSN1\\.\\d+@mta\\.test\\.example>"),
                field(headers, "Message-ID"));

        JsonNode parts = mime.get("parts");
        assertEquals(3, parts.size());
        assertEquals("text/plain", parts.get(0).get("content_type").asText());
        assertTrue(parts.get(0).get("text").asText().contains("<bob@example.com>"));
        assertFalse(parts.get(0).get("text").asText().contains("ann@"), "delivered recipients are not reported");
        assertEquals("message/delivery-status", parts.get(1).get("content_type").asText());
        assertEquals("text/rfc822-headers", parts.get(2).get("content_type").asText());

        JsonNode blocks = parts.get(1).get("blocks");
        assertEquals(2, blocks.size(), "the per-message block and exactly one recipient block");
        JsonNode perMessage = blocks.get(0);
        assertEquals("dns; mta.test.example", field(perMessage, "Reporting-MTA"));
        assertEquals("campaign-42", field(perMessage, "Original-Envelope-Id"));
        assertEquals("Fri, 20 Nov 2026 08:00:00 +0000", field(perMessage, "Arrival-Date"));
        JsonNode recipient = blocks.get(1);
        assertEquals("rfc822;Bob.Original@example.org", field(recipient, "Original-Recipient"));
        assertEquals("rfc822; bob@example.com", field(recipient, "Final-Recipient"));
        assertEquals("failed", field(recipient, "Action"));
        assertEquals("5.1.1", field(recipient, "Status"));
        assertEquals("dns; mx.example.com", field(recipient, "Remote-MTA"));
        assertEquals("smtp; 550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown",
                field(recipient, "Diagnostic-Code"));
        assertEquals("Sat, 21 Nov 2026 09:29:00 +0000", field(recipient, "Last-Attempt-Date"));
        assertNull(field(recipient, "Will-Retry-Until"), "only delayed recipients carry Will-Retry-Until");
    }

    @Test
    void retHeadersReturnsOnlyTheHeaders() throws Exception {
        Recipient bob = rcpt("bob@example.com", Set.of(Notify.FAILURE), null);
        QueuedMessage message = message("alice@sender.example", DsnReturn.HEADERS, BodyType.SEVEN_BIT, ORIGINAL, bob);

        service(Map.of()).notify(message, List.of(failed(bob, 550, "5.1.1", "no such user")));

        JsonNode third = parsedDsn().get("parts").get(2);
        assertEquals("text/rfc822-headers", third.get("content_type").asText());
        String returned = third.get("text").asText();
        assertTrue(returned.contains("Subject: original subject"), returned);
        assertTrue(returned.contains("Message-ID: <orig-1@sender.example>"), returned);
        assertFalse(returned.contains("Hello Bob"), "the body is not returned with RET=HEADERS");
    }

    @Test
    void retFullReturnsTheWholeOriginalIncluding8bitBody() throws Exception {
        String original = ORIGINAL.replace("the body line.", "la ligne accentuée, ünïcödé.");
        Recipient bob = rcpt("bob@example.com", Set.of(), null);
        QueuedMessage message = message("alice@sender.example", DsnReturn.FULL, BodyType.EIGHT_BIT_MIME, original, bob);

        service(Map.of()).notify(message, List.of(failed(bob, 554, "5.7.1", "rejected")));

        assertEquals(BodyType.EIGHT_BIT_MIME, queue.committed.get(0).envelope().bodyType());
        JsonNode mime = parsedDsn();
        assertEquals(0, mime.get("all_defects").size(), mime.get("all_defects").toString());
        JsonNode third = mime.get("parts").get(2);
        assertEquals("message/rfc822", third.get("content_type").asText());
        JsonNode returned = third.get("message");
        assertEquals("original subject", field(returned.get("headers"), "Subject"));
        assertEquals("Alice <alice@sender.example>", field(returned.get("headers"), "From"));
        assertEquals(5, returned.get("headers").size(), "every header of the original");
        assertEquals(original.substring(original.indexOf("\r\n\r\n") + 4).replace("\r\n", "\n"),
                returned.get("body").asText().replace("\r\n", "\n"));
    }

    @Test
    void unspecifiedRetReturnsHeadersByDefaultAndFullWhenConfigured() throws Exception {
        Recipient bob = rcpt("bob@example.com", Set.of(), null);
        QueuedMessage message = message("alice@sender.example", DsnReturn.UNSPECIFIED, BodyType.SEVEN_BIT,
                ORIGINAL, bob);
        service(Map.of()).notify(message, List.of(failed(bob, 550, "5.1.1", "unknown")));
        service(Map.of("unspecifiedReturn", "full")).notify(message, List.of(failed(bob, 550, "5.1.1", "unknown")));

        assertEquals(2, queue.committed.size());
        assertEquals("text/rfc822-headers", PythonMime.parse(queue.committed.get(0).content(), dir)
                .get("parts").get(2).get("content_type").asText());
        assertEquals("message/rfc822", PythonMime.parse(queue.committed.get(1).content(), dir)
                .get("parts").get(2).get("content_type").asText());
    }

    @Test
    void fullReturnFallsBackToHeadersAboveTheSizeLimit() throws Exception {
        Recipient bob = rcpt("bob@example.com", Set.of(), null);
        QueuedMessage message = message("alice@sender.example", DsnReturn.FULL, BodyType.SEVEN_BIT, ORIGINAL, bob);

        service(Map.of("fullReturnMaxBytes", 100L)).notify(message, List.of(failed(bob, 550, "5.1.1", "unknown")));

        JsonNode parts = parsedDsn().get("parts");
        assertEquals("text/rfc822-headers", parts.get(2).get("content_type").asText());
        assertTrue(parts.get(0).get("text").asText().contains("too large to return"));
    }

    @Test
    void notifyNeverAndSuccessOnlyRecipientsAreLeftOut() throws Exception {
        Recipient never = rcpt("never@example.com", Set.of(Notify.NEVER), null);
        Recipient successOnly = rcpt("success@example.com", Set.of(Notify.SUCCESS), null);
        Recipient wantsFailure = rcpt("failure@example.com", Set.of(Notify.FAILURE, Notify.DELAY), null);
        QueuedMessage message = message("alice@sender.example", DsnReturn.HEADERS, BodyType.SEVEN_BIT, ORIGINAL,
                never, successOnly, wantsFailure);

        service(Map.of()).notify(message, List.of(failed(never, 550, "5.1.1", "a"),
                failed(successOnly, 550, "5.1.1", "b"), failed(wantsFailure, 550, "5.1.1", "c")));

        JsonNode blocks = parsedDsn().get("parts").get(1).get("blocks");
        assertEquals(2, blocks.size());
        assertEquals("rfc822; failure@example.com", field(blocks.get(1), "Final-Recipient"));
    }

    @Test
    void noDsnWhenNoRecipientWantsOne() throws QueueException {
        Recipient never = rcpt("never@example.com", Set.of(Notify.NEVER), null);
        Recipient delayOnly = rcpt("delay@example.com", Set.of(Notify.DELAY), null);
        QueuedMessage message = message("alice@sender.example", DsnReturn.HEADERS, BodyType.SEVEN_BIT, ORIGINAL,
                never, delayOnly);

        Optional<QueueId> id = service(Map.of()).notify(message,
                List.of(failed(never, 550, "5.1.1", "a"), failed(delayOnly, 550, "5.1.1", "b")));

        assertEquals(Optional.empty(), id);
        assertEquals(0, queue.opened);
    }

    @Test
    void neverADsnToTheNullSender() throws QueueException {
        Recipient bob = rcpt("bob@example.com", Set.of(Notify.FAILURE), null);
        QueuedMessage bounce = message(null, DsnReturn.FULL, BodyType.SEVEN_BIT, ORIGINAL, bob);

        assertEquals(Optional.empty(), service(Map.of()).notify(bounce, List.of(failed(bob, 550, "5.1.1", "x"))));
        assertEquals(0, queue.opened, "nothing opened in the queue");
    }

    @Test
    void delayNoticeSaysUntilWhenAndReturnsHeadersOnly() throws Exception {
        Recipient bob = rcpt("bob@example.com", Set.of(), null);
        QueuedMessage message = message("alice@sender.example", DsnReturn.FULL, BodyType.SEVEN_BIT, ORIGINAL, bob);
        RecipientNotice delayed = new RecipientNotice(bob, DsnAction.DELAYED, Reply.of(451, null, "greylisted"),
                "mx.example.com", NOW);

        service(Map.of("messageLifetimeHours", 48)).notify(message, List.of(delayed));

        JsonNode mime = parsedDsn();
        assertEquals("Delayed Mail (still being retried)", field(mime.get("headers"), "Subject"));
        JsonNode recipient = mime.get("parts").get(1).get("blocks").get(1);
        assertEquals("delayed", field(recipient, "Action"));
        assertEquals("4.0.0", field(recipient, "Status"), "generic status when the remote sent no enhanced code");
        assertEquals("Sun, 22 Nov 2026 08:00:00 +0000", field(recipient, "Will-Retry-Until"));
        assertEquals("text/rfc822-headers", mime.get("parts").get(2).get("content_type").asText(),
                "a delay notice never carries the full message");
    }

    @Test
    void replyTextCannotInjectFieldsAndLongDiagnosticsAreFolded() throws Exception {
        Recipient bob = rcpt("bob@example.com", Set.of(), null);
        QueuedMessage message = message("alice@sender.example", DsnReturn.HEADERS, BodyType.SEVEN_BIT, ORIGINAL, bob);
        String text = "first line\nAction: delivered\n" + "very long explanation ".repeat(20) + "\u0007end";

        service(Map.of()).notify(message, List.of(failed(bob, 550, null, text)));

        JsonNode mime = parsedDsn();
        JsonNode recipient = mime.get("parts").get(1).get("blocks").get(1);
        assertEquals("failed", field(recipient, "Action"), "the reply text did not add an Action field");
        assertEquals("5.0.0", field(recipient, "Status"));
        String diagnostic = field(recipient, "Diagnostic-Code").replaceAll("\\s+", " ");
        assertTrue(diagnostic.startsWith("smtp; 550 first line Action: delivered very long"), diagnostic);
        assertTrue(diagnostic.endsWith("?end"), "control characters are replaced: " + diagnostic);
        assertTrue(mime.get("max_line_octets").asInt() <= 78, "folded: " + mime.get("max_line_octets"));
    }

    @Test
    void originalNoLongerInTheQueueGivesATwoPartReport() throws Exception {
        Recipient bob = rcpt("bob@example.com", Set.of(), null);
        QueuedMessage message = message("alice@sender.example", DsnReturn.FULL, BodyType.SEVEN_BIT, ORIGINAL, bob);
        queue.originals.clear();

        service(Map.of()).notify(message, List.of(failed(bob, 550, "5.1.1", "unknown")));

        JsonNode mime = parsedDsn();
        assertEquals(2, mime.get("parts").size());
        assertEquals(0, mime.get("all_defects").size());
        assertTrue(mime.get("parts").get(0).get("text").asText().contains("no longer available"));
    }

    @Test
    void internationalRecipientIsWrittenAsUtf8AddrXtext() throws Exception {
        Recipient jose = rcpt("josé@exämple.com", Set.of(), null);
        QueuedMessage message = message("alice@sender.example", DsnReturn.HEADERS, BodyType.SEVEN_BIT, ORIGINAL, jose);

        service(Map.of()).notify(message, List.of(failed(jose, 550, "5.1.1", "unknown")));

        JsonNode recipient = parsedDsn().get("parts").get(1).get("blocks").get(1);
        assertEquals("utf-8; jos\\x{E9}@ex\\x{E4}mple.com", field(recipient, "Final-Recipient"));
    }

    @Test
    void failedCommitIsReportedAndNothingIsLeftBehind() {
        Recipient bob = rcpt("bob@example.com", Set.of(), null);
        QueuedMessage message = message("alice@sender.example", DsnReturn.HEADERS, BodyType.SEVEN_BIT, ORIGINAL, bob);
        queue.failCommit = true;

        QueueException e = assertThrows(QueueException.class,
                () -> service(Map.of()).notify(message, List.of(failed(bob, 550, "5.1.1", "unknown"))));

        assertEquals(452, e.reply().code());
        assertEquals(1, queue.aborted, "the writer was aborted");
        assertTrue(queue.committed.isEmpty());
    }

    @Test
    void badConfigurationNamesTheKey() {
        IllegalArgumentException ret = assertThrows(IllegalArgumentException.class,
                () -> service(Map.of("unspecifiedReturn", "BODY")));
        assertTrue(ret.getMessage().contains("unspecifiedReturn"), ret.getMessage());
        IllegalArgumentException host = assertThrows(IllegalArgumentException.class,
                () -> service(Map.of("reportingMta", "bad host")));
        assertTrue(host.getMessage().contains("reportingMta"), host.getMessage());
        IllegalArgumentException postmaster = assertThrows(IllegalArgumentException.class,
                () -> service(Map.of("postmaster", "no-at-sign")));
        assertTrue(postmaster.getMessage().contains("postmaster"), postmaster.getMessage());
    }
}
