package dev.sluice.smtp.server;

import dev.sluice.api.mail.MessageContent;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A temporary copy of a message for DataFilters, so that memory stays bounded whatever the size. */
final class Spool implements MessageContent, AutoCloseable {

    private final Path file;
    private final OutputStream out;
    private long size;

    Spool() throws IOException {
        file = Files.createTempFile("sluice-smtp-", ".eml");
        out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        size += length;
    }

    void finishWriting() throws IOException {
        out.close();
    }

    @Override
    public InputStream openStream() throws IOException {
        return Files.newInputStream(file);
    }

    @Override
    public long size() {
        return size;
    }

    /** Copies the content from {@code offset} to {@code target}. */
    void copyTo(OutputStream target, long offset) throws IOException {
        try (InputStream in = openStream()) {
            in.skipNBytes(offset);
            in.transferTo(target);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit();
        }
    }
}
