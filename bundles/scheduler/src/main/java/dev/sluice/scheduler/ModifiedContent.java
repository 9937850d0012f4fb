package dev.sluice.scheduler;

import dev.sluice.api.mail.MessageContent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;

/**
 * The queued content with a rewritten header block: new header bytes, then the stored content from the end
 * of its header on, streamed. The queued copy is never changed.
 */
final class ModifiedContent implements MessageContent {

    private final MessageContent original;
    private final byte[] header;
    private final long originalHeaderLength;

    ModifiedContent(MessageContent original, Headers modified) {
        this.original = original;
        this.header = modified.toBytes();
        this.originalHeaderLength = modified.length();
    }

    @Override
    public InputStream openStream() throws IOException {
        InputStream rest = original.openStream();
        try {
            rest.skipNBytes(originalHeaderLength);
        } catch (IOException e) {
            rest.close();
            throw e;
        }
        return new SequenceInputStream(new ByteArrayInputStream(header), rest);
    }

    @Override
    public long size() {
        return original.size() - originalHeaderLength + header.length;
    }
}
