package dev.sluice.api.mail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The message as stored: RFC 5322 header and body, with CRLF line ends and no SMTP dot-stuffing.
 * Content is streamed so that no message is ever forced into the heap whole.
 *
 * <p>Implementations are provided by the queue; each call to {@link #openStream()} returns a new,
 * independent stream positioned at the first byte, which the caller must close.
 */
@org.osgi.annotation.versioning.ProviderType
public interface MessageContent {

    /** Opens the content from its first byte. Safe to call from any thread. */
    InputStream openStream() throws IOException;

    /** The content's length in bytes. */
    long size();

    /**
     * Content held in memory, for what is small by nature (a just committed message kept for its first delivery,
     * a generated notice); the array is not copied and must not change afterwards.
     */
    static MessageContent of(byte[] bytes) {
        return new MessageContent() {
            @Override
            public InputStream openStream() {
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public long size() {
                return bytes.length;
            }
        };
    }
}
