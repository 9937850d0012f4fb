package dev.sluice.queue.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.api.mail.Envelope;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {

    @Test
    void everyFieldRoundTrips() throws IOException {
        Envelope e = Fixtures.richEnvelope();
        Envelope back = decode(EnvelopeCodec.encode(e));
        assertEquals(e.recipients(), back.recipients());
        assertEquals(e.client().remote().getAddress(), back.client().remote().getAddress());
        assertEquals(e.client().remote().getPort(), back.client().remote().getPort());
        assertEquals(e.client().tlsCipher(), back.client().tlsCipher());
        assertEquals(e.client().authenticatedUser(), back.client().authenticatedUser());
        assertEquals(e.withRecipients(e.recipients()).sender(), back.sender());
        assertEquals(e.bodyType(), back.bodyType());
        assertEquals(e.receivedAt(), back.receivedAt());
        assertEquals(Fixtures.envelope("a@b.example", "c@d.example"),
                decode(EnvelopeCodec.encode(Fixtures.envelope("a@b.example", "c@d.example"))));
    }

    @Test
    void truncatedBytesAreAnError() {
        byte[] bytes = EnvelopeCodec.encode(Fixtures.envelope("a@b.example"));
        assertThrows(IOException.class, () -> decode(Arrays.copyOf(bytes, bytes.length / 2)));
    }

    private static Envelope decode(byte[] bytes) throws IOException {
        return EnvelopeCodec.decode(new DataInputStream(new ByteArrayInputStream(bytes)));
    }
}
