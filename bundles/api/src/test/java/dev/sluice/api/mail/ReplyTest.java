package dev.sluice.api.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplyTest {

    @Test
    void multiLineWireFormat() {
        Reply r = Reply.of(250, "2.0.0", "first\nsecond");
        assertEquals("250-2.0.0 first\r\n250 2.0.0 second\r\n", r.toWire());
    }

    @Test
    void enhancedCodeMustAgreeWithClass() {
        assertThrows(IllegalArgumentException.class, () -> Reply.of(550, "4.1.1", "x"));
        assertThrows(IllegalArgumentException.class, () -> Reply.of(250, "2.0", "x"));
        assertThrows(IllegalArgumentException.class, () -> Reply.of(199, null, "x"));
        assertThrows(IllegalArgumentException.class, () -> Reply.of(250, "2.0.0", "a\rb"));
    }

    @Test
    void classes() {
        assertTrue(Reply.of(421, "4.7.0", "busy").isTransient());
        assertTrue(Reply.of(554, "5.7.1", "no").isPermanent());
        assertTrue(Reply.of(354, null, "go").isPositive());
    }

    @Test
    void recipientNotifyDefaultsAndValidation() {
        Recipient plain = Recipient.of(MailAddress.parse("a@example.com"));
        assertTrue(plain.wants(Notify.FAILURE));
        assertTrue(plain.wants(Notify.DELAY));
        assertThrows(IllegalArgumentException.class,
                () -> new Recipient(MailAddress.parse("a@example.com"), Set.of(Notify.NEVER, Notify.SUCCESS), null));
        assertThrows(IllegalArgumentException.class,
                () -> new Recipient(MailAddress.parse("a@example.com"), Set.of(), "no-type"));
    }

    @Test
    void headerFieldRejectsBareLineBreaks() {
        assertEquals("X-A: b\r\n", new HeaderField("X-A", "b").toWire());
        assertThrows(IllegalArgumentException.class, () -> new HeaderField("X-A", "b\nInjected: c"));
        assertThrows(IllegalArgumentException.class, () -> new HeaderField("X A", "b"));
        assertEquals("a\r\n b\r\n\tc", new HeaderField("X-A", "a\r\n b\r\n\tc").value(), "folds are kept");
        for (String bad : new String[] {"a\rb", "a\r\nb", "a\r\n", "a\r\n\r\n b", "a\r", "a\n b"}) {
            assertThrows(IllegalArgumentException.class, () -> new HeaderField("X-A", bad), bad);
        }
    }

    @Test
    void queueIdIsFileNameSafe() {
        assertThrows(IllegalArgumentException.class, () -> new QueueId("../etc"));
        assertEquals("ABC123", new QueueId("ABC123").toString());
    }
}
