package dev.sluice.queue.file;

import dev.sluice.api.mail.MessageContent;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The content region of a message file, streamed. A stream opened before the message was finished stays readable
 * for at least the file pool's grace (10 s): only then may its file be reused for another message.
 */
record FileContent(Path file, long offset, long size) implements MessageContent {

    @Override
    public InputStream openStream() throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            ch.position(offset);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        InputStream raw = Channels.newInputStream(ch);
        return new BufferedInputStream(new InputStream() {
            private long left = size;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = raw.read(b, off, (int) Math.min(len, left));
                if (n < 0) {
                    throw new IOException("spool file " + file + " ends before its content does");
                }
                left -= n;
                return n;
            }

            @Override
            public void close() throws IOException {
                raw.close();
            }
        }, (int) Math.max(512, Math.min(16384, size))); // a small message needs no 16 KB buffer
    }
}
