package dev.sluice.filter.suppression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.api.event.DeliveryEvent;
import dev.sluice.api.filter.PreDeliveryRequest;
import dev.sluice.api.filter.RcptRequest;
import dev.sluice.api.filter.Verdict;
import dev.sluice.api.mail.BodyType;
import dev.sluice.api.mail.ClientIdentity;
import dev.sluice.api.mail.DsnReturn;
import dev.sluice.api.mail.MessageContent;
import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.MailAddress;
import dev.sluice.api.mail.QueueId;
import dev.sluice.api.mail.Recipient;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.mail.ReversePath;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The filter hooks and the bounce feeder on a real store. */
class SuppressionFilterTest {

    @TempDir
    Path home;
    private SuppressionStore store;

    @BeforeEach
    void open() throws Exception {
        store = new SuppressionStore(TestConfig.with("reloadSeconds", 3600), home);
        store.add(List.of(Entry.parse("gone@example.com"), Entry.parse("closed.example")), "test");
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    private static Verdict rcpt(SuppressionFilter f, String to) {
        return f.onRcpt(new RcptRequest(ClientIdentity.local("test"), ReversePath.parse("s@sender.example"),
                Recipient.of(MailAddress.parse(to)), 0)).toCompletableFuture().join();
    }

    private static Verdict beforeDelivery(SuppressionFilter f, String... to) {
        List<Recipient> rcpts = Arrays.stream(to).map(a -> Recipient.of(MailAddress.parse(a))).toList();
        Envelope envelope = new Envelope(ReversePath.parse("s@sender.example"), rcpts, BodyType.SEVEN_BIT, false, 0,
                DsnReturn.FULL, null, ClientIdentity.local("test"), Instant.now());
        MessageContent empty = new MessageContent() {
            @Override
            public java.io.InputStream openStream() {
                return java.io.InputStream.nullInputStream();
            }

            @Override
            public long size() {
                return 0;
            }
        };
        return f.beforeDelivery(new PreDeliveryRequest(new QueueId("Q1"), envelope, List.of(), empty))
                .toCompletableFuture().join();
    }

    @Test
    void rejectsSuppressedRecipientsAtRcpt() {
        SuppressionFilter f = new SuppressionFilter(store, TestConfig.with());
        assertEquals(Verdict.reject(550, "5.7.1", "<Gone@example.com>: recipient is on the suppression list"),
                rcpt(f, "Gone@example.com"));
        assertEquals(550, ((Verdict.Reject) rcpt(f, "x@mail.closed.example")).reply().code());
        assertEquals(Verdict.CONTINUE, rcpt(f, "fine@example.com"));
    }

    @Test
    void discardModeAcceptsAndDrops() {
        SuppressionFilter f = new SuppressionFilter(store, TestConfig.with("action", "discard"));
        assertEquals(Verdict.DISCARD, rcpt(f, "gone@example.com"));
        assertEquals(Verdict.CONTINUE, rcpt(f, "fine@example.com"));
    }

    @Test
    void aWrongActionNamesTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SuppressionFilter(store, TestConfig.with("action", "bounce")));
        assertEquals("action must be 'reject' or 'discard', got 'bounce'", e.getMessage());
    }

    @Test
    void beforeDeliveryDropsABatchOfSuppressedRecipientsOnly() {
        SuppressionFilter f = new SuppressionFilter(store, TestConfig.with());
        assertEquals(Verdict.DISCARD, beforeDelivery(f, "gone@example.com"));
        assertEquals(Verdict.DISCARD, beforeDelivery(f, "a@closed.example", "b@closed.example"));
        assertEquals(Verdict.CONTINUE, beforeDelivery(f, "fine@example.com"));
        assertEquals(Verdict.CONTINUE, beforeDelivery(f, "gone@example.com", "fine@example.com"));
    }

    @Test
    void hardBouncesOfTheConfiguredCategoriesAreSuppressed() {
        BounceFeeder feeder = new BounceFeeder(store, TestConfig.with());
        feeder.onEvent(bounce("nobody@example.org", "bad-mailbox"));
        feeder.onEvent(bounce("full@example.org", "quota"));
        feeder.onEvent(delivered("ok@example.org"));
        SuppressionFilter f = new SuppressionFilter(store, TestConfig.with());
        assertEquals(550, ((Verdict.Reject) rcpt(f, "nobody@example.org")).reply().code());
        assertEquals(Verdict.CONTINUE, rcpt(f, "full@example.org"));
        assertEquals(Verdict.CONTINUE, rcpt(f, "ok@example.org"));

        new BounceFeeder(store, TestConfig.with("addBounces", false)).onEvent(bounce("off@example.org", "bad-mailbox"));
        assertEquals(Verdict.CONTINUE, rcpt(f, "off@example.org"));
    }

    private static DeliveryEvent bounce(String rcpt, String category) {
        return new DeliveryEvent(DeliveryEvent.Kind.BOUNCED, Instant.now(), new QueueId("Q2"), null, "s@sender.example",
                rcpt, "example.org", "mx.example.org", "192.0.2.1", null, Reply.of(550, "5.1.1", "No such user"),
                category, 1, 100);
    }

    private static DeliveryEvent delivered(String rcpt) {
        return new DeliveryEvent(DeliveryEvent.Kind.DELIVERED, Instant.now(), new QueueId("Q3"), null,
                "s@sender.example", rcpt, "example.org", "mx.example.org", "192.0.2.1", null,
                Reply.of(250, "2.0.0", "OK"), null, 1, 100);
    }
}
