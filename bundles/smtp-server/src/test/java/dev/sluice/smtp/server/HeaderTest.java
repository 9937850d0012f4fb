package dev.sluice.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.api.filter.HeaderChange;
import dev.sluice.api.mail.HeaderField;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderTest {

    private static final String MESSAGE = "Subject: hi\r\nTo: a@b.test,\r\n  c@d.test\r\nMessage-ID: <x@y>\r\n\r\nbody\r\n";

    @Test
    void captureStopsAtTheBlankLineWhateverTheChunking() {
        byte[] bytes = MESSAGE.getBytes(StandardCharsets.US_ASCII);
        for (int chunk : new int[] {1, 2, 3, 5, 100}) {
            HeaderCapture capture = new HeaderCapture();
            for (int i = 0; i < bytes.length; i += chunk) {
                capture.add(bytes, i, Math.min(chunk, bytes.length - i));
            }
            assertEquals(MESSAGE.indexOf("\r\n\r\n") + 4, capture.size(), "chunk " + chunk);
        }
    }

    @Test
    void parsesFoldedFieldsAndStopsAtMalformedLines() {
        byte[] bytes = MESSAGE.getBytes(StandardCharsets.US_ASCII);
        HeaderParser.Parsed parsed = HeaderParser.parse(bytes, bytes.length);
        assertEquals(List.of(new HeaderField("Subject", "hi"), new HeaderField("To", "a@b.test,\r\n  c@d.test"),
                new HeaderField("Message-ID", "<x@y>")), parsed.fields());
        assertEquals(MESSAGE.indexOf("\r\n\r\n") + 2, parsed.end());
        byte[] broken = "A: 1\r\nnot a field\r\nB: 2\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(1, HeaderParser.parse(broken, broken.length).fields().size());
    }

    @Test
    void changesAddSetAndRemove() {
        List<HeaderField> header = List.of(new HeaderField("Subject", "a"), new HeaderField("X-A", "1"),
                new HeaderField("x-a", "2"));
        List<HeaderField> changed = HeaderChanges.apply(header, List.of(
                new HeaderChange.Add(new HeaderField("Top", "t")),
                new HeaderChange.Set(new HeaderField("Subject", "b")),
                new HeaderChange.Remove("X-A")));
        assertEquals(List.of(new HeaderField("Top", "t"), new HeaderField("Subject", "b")), changed);
    }
}
