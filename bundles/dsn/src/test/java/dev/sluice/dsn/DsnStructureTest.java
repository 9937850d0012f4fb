package dev.sluice.dsn;

import static dev.sluice.dsn.PythonMime.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.delivery.DsnAction;
import dev.sluice.api.delivery.RecipientNotice;
import dev.sluice.api.mail.BodyType;
import dev.sluice.api.mail.DsnReturn;
import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.MailAddress;
import dev.sluice.api.mail.Notify;
import dev.sluice.api.mail.QueueId;
import dev.sluice.api.mail.Recipient;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.queue.QueuedMessage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The DSN as an independent MIME parser (Python's email package) sees it. */
class DsnStructureTest extends DsnTestSupport {

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
}
