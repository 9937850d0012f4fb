package dev.sluice.dsn;

import static dev.sluice.dsn.PythonMime.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.delivery.DsnAction;
import dev.sluice.api.delivery.RecipientNotice;
import dev.sluice.api.mail.BodyType;
import dev.sluice.api.mail.DsnReturn;
import dev.sluice.api.mail.Notify;
import dev.sluice.api.mail.QueueId;
import dev.sluice.api.mail.Recipient;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.queue.QueueException;
import dev.sluice.api.queue.QueuedMessage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who gets a DSN about whom: NOTIFY, the null sender, delays, and failures of the queue. */
class DsnRecipientSelectionTest extends DsnTestSupport {

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
