package dev.sluice.smtp.server.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmtpDecoderTest {

    /** Records events; enters DATA after a "DATA" line and BDAT mode after "BDAT n". */
    private static final class Recorder implements DecoderSink {
        final List<String> events = new ArrayList<>();
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        SmtpDecoder decoder;

        @Override
        public void onLine(String line) {
            events.add("line:" + line);
            if (line.equals("DATA")) {
                decoder.dataMode();
            } else if (line.startsWith("BDAT ")) {
                decoder.chunkMode(Long.parseLong(line.substring(5)));
            } else if (line.equals("STARTTLS")) {
                decoder.discardMode();
            }
        }

        @Override
        public void onBadLine(String why) {
            events.add("bad:" + why);
        }

        @Override
        public void onData(byte[] bytes, int offset, int length) {
            data.write(bytes, offset, length);
        }

        @Override
        public void onDataEnd(DataError error) {
            events.add("end:" + error + ":" + data.toString(StandardCharsets.ISO_8859_1));
            data.reset();
        }

        @Override
        public void onChunkEnd() {
            events.add("chunk:" + data.toString(StandardCharsets.ISO_8859_1));
            data.reset();
        }
    }

    private static List<String> decode(String input, int splitEvery) {
        Recorder r = new Recorder();
        r.decoder = new SmtpDecoder(r);
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < bytes.length; i += splitEvery) {
            r.decoder.feed(ByteBuffer.wrap(bytes, i, Math.min(splitEvery, bytes.length - i)));
        }
        return r.events;
    }

    private static void assertAllSplits(List<String> expected, String input) {
        for (int split : new int[] {1, 2, 3, 7, 4096}) {
            assertEquals(expected, decode(input, split), "split every " + split);
        }
    }

    @Test
    void commandsAndDataWithDotUnstuffing() {
        assertAllSplits(List.of("line:EHLO x", "line:DATA", "end:null:a\r\n.b\r\n..\r\n", "line:QUIT"),
                "EHLO x\r\nDATA\r\na\r\n..b\r\n...\r\n.\r\nQUIT\r\n");
    }

    @Test
    void emptyMessageAndCrlfBoundaries() {
        assertAllSplits(List.of("line:DATA", "end:null:", "line:NOOP"), "DATA\r\n.\r\nNOOP\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\r\n.\n", "\n.\r\n", "\r.\r\n", "\r\n.\r", "\n"})
    void smugglingTerminatorsNeverEndTheMessage(String fake) {
        String input = "DATA\r\nhello" + fake + "MAIL FROM:<evil@x>\r\n" + "\r\n.\r\nNOOP\r\n";
        List<String> events = decode(input, 4096);
        assertEquals(3, events.size(), events.toString());
        assertTrue(events.get(1).startsWith("end:BARE_CR_OR_LF"), events.toString());
        assertEquals("line:NOOP", events.get(2));
    }

    @Test
    void textLineOf1000OctetsIsTheLimit() {
        String ok = "x".repeat(998);
        assertEquals("end:null:" + ok + "\r\n", decode("DATA\r\n" + ok + "\r\n.\r\n", 100).get(1));
        assertTrue(decode("DATA\r\n" + ok + "x\r\n.\r\n", 100).get(1).startsWith("end:LINE_TOO_LONG"));
        // the dot added for transparency does not count (RFC 5321 §4.5.3.1.6): 999 octets on the wire
        String dotted = "." + "x".repeat(997);
        assertEquals("end:null:" + dotted + "\r\n", decode("DATA\r\n." + dotted + "\r\n.\r\n", 7).get(1));
        assertTrue(decode("DATA\r\n." + dotted + "x\r\n.\r\n", 7).get(1).startsWith("end:LINE_TOO_LONG"));
    }

    @Test
    void commandLineOf512OctetsIsTheLimit() {
        String ok = "NOOP " + "x".repeat(SmtpDecoder.MAX_COMMAND_LINE - 5);
        assertEquals(List.of("line:" + ok), decode(ok + "\r\n", 13));
        assertEquals(List.of("bad:Line too long", "line:NOOP"), decode(ok + "y\r\nNOOP\r\n", 13));
        assertEquals(List.of("bad:Line too long", "line:QUIT"), decode("x".repeat(100_000) + "\r\nQUIT\r\n", 4096));
    }

    @Test
    void bareLfOrCrInCommandsIsRejected() {
        assertEquals(List.of("bad:Bare CR or LF not allowed, lines end with CRLF", "line:NOOP"),
                decode("NOOP\nNOOP\r\n", 1));
        assertEquals(List.of("bad:Bare CR or LF not allowed, lines end with CRLF"), decode("NO\rOP\r\n", 1));
    }

    @Test
    void invalidUtf8IsRejected() {
        assertEquals(List.of("bad:Invalid UTF-8 in command"), decode("EHLO \u00ff\u00fe\r\n", 1));
    }

    @Test
    void bdatCountsBytesIncludingCrlfAndDots() {
        assertAllSplits(List.of("line:BDAT 7", "chunk:.\r\n.\r\nx", "line:BDAT 0", "chunk:", "line:QUIT"),
                "BDAT 7\r\n.\r\n.\r\nxBDAT 0\r\nQUIT\r\n");
    }

    /** Heap buffers take the bulk copy of plain text runs, direct buffers the byte-by-byte state machine. */
    private static List<String> decodeBuffers(byte[] bytes, int[] splits, boolean direct) {
        Recorder r = new Recorder();
        r.decoder = new SmtpDecoder(r);
        int i = 0;
        for (int k = 0; i < bytes.length; k++) {
            int n = Math.min(splits[k % splits.length], bytes.length - i);
            ByteBuffer b = direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.wrap(new byte[n + 7], 3, n).slice();
            b.put(bytes, i, n).flip();
            r.decoder.feed(b);
            i += n;
        }
        return r.events;
    }

    @Test
    void bulkCopiedTextRunsDecodeExactlyAsByteByByte() {
        java.util.Random random = new java.util.Random(20261202);
        byte[] alphabet = "ab.\r\n\r\n\r\n..xyz \t\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        for (int round = 0; round < 300; round++) {
            StringBuilder body = new StringBuilder();
            int lines = random.nextInt(40);
            for (int l = 0; l < lines; l++) {
                int len = random.nextInt(10) == 0 ? 990 + random.nextInt(20) : random.nextInt(120);
                for (int c = 0; c < len; c++) {
                    body.append((char) (alphabet[random.nextInt(alphabet.length)] & 0xff));
                }
                body.append(random.nextInt(8) == 0 ? "\n" : "\r\n");
            }
            byte[] input = ("DATA\r\n" + body + "\r\n.\r\nNOOP\r\n").getBytes(StandardCharsets.ISO_8859_1);
            int[] splits = {1 + random.nextInt(3000), 1 + random.nextInt(17), 1 + random.nextInt(500)};
            assertEquals(decodeBuffers(input, splits, true), decodeBuffers(input, splits, false), "round " + round);
        }
    }

    @Test
    void everythingAfterStartTlsIsDiscarded() {
        assertEquals(List.of("line:STARTTLS"), decode("STARTTLS\r\nMAIL FROM:<a@b>\r\n", 4096));
    }
}
