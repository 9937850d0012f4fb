package dev.sluice.dsn;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;

/** Fixtures shared by the DSN tests: a fake queue with originals, messages, notices and the parsed DSN. */
abstract class DsnTestSupport {

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
}
