package dev.sluice.filter.dkim;

import dev.sluice.api.mail.MessageContent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** Message content as the queue provides it: from memory or streamed from a file; counts its readers. */
final class Content implements MessageContent {

    private final byte[] bytes;
    private final Path file;
    final AtomicInteger opened = new AtomicInteger();
    final java.util.concurrent.atomic.AtomicLong bytesRead = new java.util.concurrent.atomic.AtomicLong();
    volatile IOException failure;

    private Content(byte[] bytes, Path file) {
        this.bytes = bytes;
        this.file = file;
    }

    static Content of(byte[] bytes) {
        return new Content(bytes, null);
    }

    static Content of(Path file) {
        return new Content(null, file);
    }

    @Override
    public InputStream openStream() throws IOException {
        opened.incrementAndGet();
        if (failure != null) {
            throw failure;
        }
        InputStream in = file == null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
        return new java.io.FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                bytesRead.addAndGet(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                bytesRead.addAndGet(Math.max(n, 0));
                return n;
            }
        };
    }

    @Override
    public long size() {
        try {
            return file == null ? bytes.length : Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
