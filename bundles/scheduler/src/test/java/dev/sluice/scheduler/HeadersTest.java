package dev.sluice.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.api.filter.HeaderChange;
import dev.sluice.api.mail.HeaderField;
import dev.sluice.api.mail.MessageContent;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadersTest {

    private static final String MESSAGE = "Received: from a\r\n\tby b; Mon, 2 Mar 2026\r\nSubject:tight\r\n"
            + "not a field\r\nTo: x@a.example\r\n\r\nBody: not a header\r\n";

    @Test
    void parsesFoldedFieldsAndKeepsTheirBytes() throws Exception {
        Headers h = Headers.read(content(MESSAGE));
        assertEquals(4, h.fields().size());
        assertEquals(new HeaderField("Received", "from a\r\n\tby b; Mon, 2 Mar 2026"), h.fields().get(0).field());
        assertEquals("tight", h.fields().get(1).field().value());
        assertNull(h.fields().get(2).field(), "kept verbatim but not offered as a field");
        assertEquals(List.of("Received", "Subject", "To"), h.parsed().stream().map(HeaderField::name).toList());
        assertEquals(MESSAGE.indexOf("\r\n\r\n") + 2, h.length());
    }

    @Test
    void changesRewriteOnlyTheHeaderAndStreamTheRest() throws Exception {
        MessageContent original = content(MESSAGE);
        Headers changed = Headers.read(original).apply(List.of(
                new HeaderChange.Add(new HeaderField("X-First", "1")),
                new HeaderChange.Set(new HeaderField("subject", "loose")),
                new HeaderChange.Remove("received")));
        ModifiedContent modified = new ModifiedContent(original, changed);
        String expected = "X-First: 1\r\nsubject: loose\r\nnot a field\r\nTo: x@a.example\r\n\r\n"
                + "Body: not a header\r\n";
        try (InputStream in = modified.openStream()) {
            assertEquals(expected, new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
        assertEquals(expected.length(), modified.size());
    }

    @Test
    void aMessageWithoutBodyIsAllHeader() throws Exception {
        Headers h = Headers.read(content("Subject: only\r\n"));
        assertEquals(1, h.fields().size());
        assertEquals(15, h.length());
    }

    static MessageContent content(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return MessageContent.of(bytes);
    }
}
