package dev.sluice.delivery.smtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.Reply;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure parts: dot-stuffing, reply parsing, EHLO keywords, xtext. */
class ProtocolUnitTest {

    private static String stuffInChunks(String text, int chunk) {
        DotStuffer s = new DotStuffer();
        byte[] in = text.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < in.length; i += chunk) {
            byte[] part = java.util.Arrays.copyOfRange(in, i, Math.min(in.length, i + chunk));
            out.writeBytes(s.stuff(part, part.length));
        }
        out.writeBytes(s.terminator());
        return out.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void dotStuffingWorksAcrossChunkBoundaries() {
        String text = ".a\r\nb\r\n.\r\n..c\r\n";
        String expected = "..a\r\nb\r\n..\r\n...c\r\n.\r\n";
        for (int chunk = 1; chunk <= text.length(); chunk++) {
            assertEquals(expected, stuffInChunks(text, chunk), "chunk " + chunk);
        }
    }

    /** The rule itself, one byte at a time: a dot after LF (or at the very start) is doubled. */
    private static String stuffByteByByte(String text) {
        StringBuilder out = new StringBuilder();
        boolean lineStart = true;
        for (char c : text.toCharArray()) {
            if (lineStart && c == '.') {
                out.append('.');
            }
            out.append(c);
            lineStart = c == '\n';
        }
        boolean crlf = text.endsWith("\r\n");
        return out.append(crlf ? ".\r\n" : "\r\n.\r\n").toString();
    }

    @Test
    void bulkStuffingMatchesTheByteRuleForRandomTextAndChunks() {
        java.util.Random random = new java.util.Random(7);
        String alphabet = "ab..\r\n\n.";
        for (int round = 0; round < 500; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(200); i > 0; i--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            int chunk = 1 + random.nextInt(40);
            assertEquals(stuffByteByByte(text.toString()), stuffInChunks(text.toString(), chunk),
                    "round " + round + ", chunk " + chunk);
        }
    }

    @Test
    void aLastLineWithoutCrlfIsCompletedAndBareLfStartsALine() {
        assertEquals("abc\r\n.\r\n", stuffInChunks("abc", 2));
        assertEquals("\r\n.\r\n", stuffInChunks("", 1));
        assertEquals("x\n..\r\n.\r\n", stuffInChunks("x\n.\r\n", 3));
    }

    private static List<Reply> read(String wire) throws Exception {
        List<Reply> replies = new ArrayList<>();
        byte[] b = wire.getBytes(StandardCharsets.UTF_8);
        new ReplyReader(512, 10).feed(b, 0, b.length, replies::add);
        return replies;
    }

    @Test
    void parsesSingleAndMultiLineRepliesWithEnhancedCodes() throws Exception {
        List<Reply> r = read("250-mx greets\r\n250-PIPELINING\r\n250 SIZE 100\r\n550 5.1.1 no such user\r\n354\r\n");
        assertEquals(3, r.size());
        assertEquals("mx greets\nPIPELINING\nSIZE 100", r.get(0).text());
        assertNull(r.get(0).enhancedStatus());
        assertEquals("5.1.1", r.get(1).enhancedStatus());
        assertEquals("no such user", r.get(1).text());
        assertEquals(354, r.get(2).code());
    }

    @Test
    void anEnhancedCodeOfAnotherClassIsKeptAsText() throws Exception {
        Reply r = read("250 4.0.0 odd\r\n").get(0);
        assertNull(r.enhancedStatus());
        assertEquals("4.0.0 odd", r.text());
    }

    @Test
    void rejectsGarbage() {
        assertThrows(ReplyReader.MalformedReplyException.class, () -> read("hello\r\n"));
        assertThrows(ReplyReader.MalformedReplyException.class, () -> read("199 too low\r\n"));
        assertThrows(ReplyReader.MalformedReplyException.class, () -> read("250-a\r\n550 b\r\n"));
        assertThrows(ReplyReader.MalformedReplyException.class, () -> read("250 " + "x".repeat(600) + "\r\n"));
        assertThrows(ReplyReader.MalformedReplyException.class, () -> read("250-x\r\n".repeat(11)));
    }

    @Test
    void controlCharactersNeverReachTheReplyText() throws Exception {
        Reply r = read("250 a\rb\u0000c\r\n").get(0);
        assertEquals("a?b?c", r.text());
    }

    @Test
    void capabilitiesFromEhlo() throws Exception {
        Capabilities c = Capabilities.parse(read("250-mx\r\n250-pipelining\r\n250-SIZE 1000\r\n250-AUTH=LOGIN\r\n"
                + "250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n").get(0));
        assertTrue(c.pipelining());
        assertTrue(c.sizeOffered());
        assertEquals(1000, c.maxSize());
        assertTrue(c.startTls());
        assertEquals(java.util.Set.of("PLAIN", "LOGIN"), c.auth());
        assertFalse(c.smtpUtf8());
        assertFalse(c.dsn());
    }

    @Test
    void xtextEncodesPlusEqualsAndNonAscii() {
        assertEquals("a+2Bb+3Dc+20d+C3+A9", Commands.xtext("a+b=c dé"));
        assertArrayEquals("ok".getBytes(), Commands.xtext("ok").getBytes());
    }
}
