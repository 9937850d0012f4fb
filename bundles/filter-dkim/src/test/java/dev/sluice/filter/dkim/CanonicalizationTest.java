package dev.sluice.filter.dkim;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class CanonicalizationTest {

    /** RFC 6376 §3.4.6, the header and body of the example message. */
    private static final String EXAMPLE_HEADER = "A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n";
    private static final String EXAMPLE_BODY = " C \r\nD \t E\r\n\r\n\r\n";

    @Test
    void rfc6376ExampleRelaxed() throws IOException {
        RawHeader header = RawHeader.read(new ByteArrayInputStream(EXAMPLE_HEADER.getBytes(ISO_8859_1)));
        assertEquals(List.of("A: X\r\n", "B : Y\t\r\n\tZ  \r\n"), header.fields());
        assertEquals("a:X\r\n", Canonicalization.RELAXED.header(header.fields().get(0)));
        assertEquals("b:Y Z\r\n", Canonicalization.RELAXED.header(header.fields().get(1)));
        assertEquals(" C\r\nD E\r\n", body(Canonicalization.RELAXED, EXAMPLE_BODY));
    }

    @Test
    void rfc6376ExampleSimple() throws IOException {
        RawHeader header = RawHeader.read(new ByteArrayInputStream(EXAMPLE_HEADER.getBytes(ISO_8859_1)));
        assertEquals("A: X\r\n", Canonicalization.SIMPLE.header(header.fields().get(0)));
        assertEquals("B : Y\t\r\n\tZ  \r\n", Canonicalization.SIMPLE.header(header.fields().get(1)));
        assertEquals(" C \r\nD \t E\r\n", body(Canonicalization.SIMPLE, EXAMPLE_BODY));
    }

    @ParameterizedTest(name = "{0}: [{1}] -> [{2}]")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        // empty body: simple is one CRLF (§3.4.3), relaxed is empty (§3.4.4)
        "SIMPLE  | ''                | '\r\n'",
        "RELAXED | ''                | ''",
        "SIMPLE  | '\r\n\r\n'        | '\r\n'",
        "RELAXED | '\r\n\r\n'        | ''",
        "RELAXED | ' \t \r\n\r\n'    | ''",
        // a missing final CRLF is added
        "SIMPLE  | 'abc'             | 'abc\r\n'",
        "RELAXED | 'abc  '           | 'abc\r\n'",
        // empty lines inside the body stay, only trailing ones go
        "SIMPLE  | 'a\r\n\r\nb\r\n\r\n' | 'a\r\n\r\nb\r\n'",
        "RELAXED | 'a\r\n \r\nb\r\n \r\n' | 'a\r\n\r\nb\r\n'",
        // a trailing line of white space is not empty for simple
        "SIMPLE  | 'a\r\n \r\n'      | 'a\r\n \r\n'",
        // a lone CR or LF is an ordinary byte, not a line end
        "SIMPLE  | 'a\rb\nc\r'       | 'a\rb\nc\r\r\n'",
        "RELAXED | 'a \r b\n c'      | 'a \r b\n c\r\n'",
        "RELAXED | '\t leading'      | ' leading\r\n'",
    })
    void bodyCases(Canonicalization canon, String in, String expected) throws IOException {
        assertEquals(expected, body(canon, in));
    }

    @ParameterizedTest
    @EnumSource(Canonicalization.class)
    void eightBitBytesAndAnySplitGiveTheSameResult(Canonicalization canon) throws IOException {
        byte[] body = "Gr\u00fc\u00dfe  \r\n\u00e9t\u00e9\t \r\n\r\n \r\nend \r\n\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] whole = canonical(canon, body, body.length);
        for (int chunk = 1; chunk < 7; chunk++) {
            assertArrayEquals(whole, canonical(canon, body, chunk), "chunks of " + chunk);
        }
        String text = new String(whole, java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(canon == Canonicalization.RELAXED ? "Gr\u00fc\u00dfe\r\n\u00e9t\u00e9\r\n\r\n\r\nend\r\n"
                : "Gr\u00fc\u00dfe  \r\n\u00e9t\u00e9\t \r\n\r\n \r\nend \r\n", text);
    }

    @ParameterizedTest
    @EnumSource(Canonicalization.class)
    void theRunFastPathAgreesWithTheByteStateMachineOnRandomBodies(Canonicalization canon) throws IOException {
        java.util.Random random = new java.util.Random(6376);
        byte[] alphabet = {'a', 'b', ' ', ' ', '\t', '\r', '\n', (byte) 0xc3, '.'};
        for (int round = 0; round < 50; round++) {
            byte[] body = new byte[random.nextInt(4000)];
            for (int i = 0; i < body.length; i++) {
                body[i] = alphabet[random.nextInt(alphabet.length)];
            }
            byte[] byByte = canonical(canon, body, 1);
            assertArrayEquals(byByte, canonical(canon, body, Math.max(1, body.length)), "round " + round);
            assertArrayEquals(byByte, canonical(canon, body, 7), "round " + round);
        }
    }

    @Test
    void relaxedHeaderUnfoldsLowerCasesAndTrims() {
        assertEquals("subject:Hello wide world\r\n",
                Canonicalization.RELAXED.header("SUBJECT \t:  Hello \t wide\r\n \t world \t\r\n"));
        assertEquals("x-empty:\r\n", Canonicalization.RELAXED.header("X-Empty:   \r\n"));
        // 8-bit bytes (as ISO-8859-1 chars) pass unchanged
        String utf8 = new String("Subject: Gr\u00fc\u00dfe\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), ISO_8859_1);
        assertEquals("subject:" + utf8.substring(9), Canonicalization.RELAXED.header(utf8));
    }

    @Test
    void headerBlockEndsAtTheEmptyLineAndLeavesTheBody() throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream("To: a\r\n\tb\r\nX:y\r\n\r\nbody\r\n".getBytes(ISO_8859_1));
        RawHeader header = RawHeader.read(in);
        assertEquals(List.of("To: a\r\n\tb\r\n", "X:y\r\n"), header.fields());
        assertEquals(18, header.length());
        assertEquals("body\r\n", new String(in.readAllBytes(), ISO_8859_1));
        assertEquals("X", RawHeader.name("X :y"));
    }

    @Test
    void headerOnlyMessageWithoutFinalCrlfIsSignedAsDeliveryCompletesIt() throws IOException {
        RawHeader header = RawHeader.read(new ByteArrayInputStream("Subject: x\r\nFrom: a@b".getBytes(ISO_8859_1)));
        assertEquals(List.of("Subject: x\r\n", "From: a@b\r\n"), header.fields());
    }

    private static String body(Canonicalization canon, String in) throws IOException {
        byte[] bytes = in.getBytes(ISO_8859_1);
        return new String(canonical(canon, bytes, bytes.length), ISO_8859_1);
    }

    private static byte[] canonical(Canonicalization canon, byte[] body, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BodyCanonicalizer c = canon.body(out);
        for (int i = 0; i < body.length; i += chunk) {
            if (chunk == 1) {
                c.write(body[i]);
            } else {
                c.write(body, i, Math.min(chunk, body.length - i));
            }
        }
        c.finish();
        return out.toByteArray();
    }
}
