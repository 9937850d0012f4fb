package dev.sluice.dsn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReturnedOriginalTest {

    static String header(String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
        return new String(ReturnedOriginal.readHeader(new ByteArrayInputStream(bytes)), StandardCharsets.ISO_8859_1);
    }

    @Test
    void stopsAtTheEmptyLine() throws IOException {
        assertEquals("A: 1\r\nB: 2\r\n \tfolded\r\n", header("A: 1\r\nB: 2\r\n \tfolded\r\n\r\nbody\r\n\r\nmore\r\n"));
    }

    @Test
    void toleratesBareLineFeedsAndAlwaysEndsWithCrlf() throws IOException {
        assertEquals("A: 1\nB: 2\r\n", header("A: 1\nB: 2\n\nbody\n"));
    }

    @Test
    void aMessageWithoutBodyIsAllHeader() throws IOException {
        assertEquals("A: 1\r\nB: 2\r\n", header("A: 1\r\nB: 2"));
    }

    @Test
    void anEndlessHeaderIsCutAtALineEnd() throws IOException {
        String line = "X-Filler: " + "x".repeat(1000) + "\r\n";
        String returned = header(line.repeat(2000) + "\r\nbody");
        assertTrue(returned.length() <= ReturnedOriginal.MAX_HEADER_BYTES, "bounded: " + returned.length());
        assertTrue(returned.length() > ReturnedOriginal.MAX_HEADER_BYTES - line.length(), "not cut early");
        assertEquals(0, returned.length() % line.length(), "only whole lines");
    }
}
