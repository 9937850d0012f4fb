package dev.sluice.queue.file;

import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.QueueId;
import dev.sluice.api.queue.MessageWriter;
import dev.sluice.api.queue.QueueException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.zip.CRC32C;

/**
 * Receives one message into a file of the {@link FilePool} (a reused one or a new one): header and envelope
 * first, content streamed after. Commit cuts off whatever followed from the file's earlier use, patches the
 * header (length, checksum, time) and hands the file to the group committer, which renames it to
 * {@code q/.../<id>} only once it is on disk. Until then a crash leaves it a pool file like any other.
 */
final class FileMessageWriter implements MessageWriter {

    private enum State { OPEN, COMMITTING, COMMITTED, ABORTED }

    /** Content up to this size is kept in memory for the first delivery ({@link FreshMessages}). */
    private static final long KEEP_CONTENT_BYTES = 16 * 1024;

    private final FileSpool spool;
    private final long key;
    private final Path temp;
    private final Envelope envelope;
    private final int envelopeLength;
    private final ChannelBuffer file;
    private final FileChannel channel;
    private final CRC32C crc = new CRC32C();
    private final OutputStream content;
    private long contentLength;
    private IOException failure;
    private volatile State state = State.OPEN;

    FileMessageWriter(FileSpool spool, long key, Path temp, Envelope envelope, byte[] encoded) throws IOException {
        this.spool = spool;
        this.key = key;
        this.temp = temp;
        this.envelope = envelope;
        this.envelopeLength = encoded.length;
        this.channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        // header placeholder, envelope and the first content go out in one write
        this.file = new ChannelBuffer(channel, 4096, 32768);
        try {
            file.write(MessageFormat.header(0, 0, 0, envelopeLength));
            file.write(MessageFormat.envelopeBlock(encoded));
        } catch (IOException e) {
            discard();
            throw e;
        }
        this.content = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (state != State.OPEN) {
                    throw new IOException("message " + queueId() + " is no longer open for writing");
                }
                try {
                    file.write(b, off, len);
                } catch (IOException e) {
                    failure = e;
                    spool.health().onIoError(e); // a full disk shows here first
                    throw e;
                }
                crc.update(b, off, len);
                contentLength += len;
            }

            @Override
            public void flush() throws IOException {
                file.flush();
            }
        };
    }

    @Override
    public QueueId queueId() {
        return new QueueId(QueueIds.format(key));
    }

    @Override
    public OutputStream content() {
        return content;
    }

    @Override
    public CompletionStage<QueueId> commit() {
        if (state != State.OPEN) {
            return CompletableFuture.failedFuture(new IllegalStateException("commit after " + state));
        }
        state = State.COMMITTING;
        long queuedAt = spool.clock().millis();
        byte[] kept;
        try {
            if (failure != null) {
                throw failure;
            }
            kept = contentLength <= KEEP_CONTENT_BYTES ? file.copyFrom(contentOffset()) : null;
            content.flush();
            channel.truncate(channel.position()); // a reused file: nothing of its old message may follow
            channel.write(MessageFormat.header(contentLength, queuedAt, (int) crc.getValue(), envelopeLength), 0);
        } catch (IOException e) {
            return fail(e);
        }
        Path target = spool.layout().file(key);
        FreshMessages.Fresh fresh = new FreshMessages.Fresh(queuedAt, envelope, contentOffset(), contentLength, kept);
        IndexEntry entry = fresh.state().toIndexEntry(key);
        return spool.committer().submit(channel, temp, target, () -> spool.committed(key, entry, fresh))
                .handle((ok, error) -> error != null ? fail(error) : succeed())
                .thenCompose(f -> f);
    }

    private int contentOffset() {
        return MessageFormat.HEADER_SIZE + envelopeLength + 4;
    }

    private CompletableFuture<QueueId> succeed() {
        state = State.COMMITTED;
        closeQuietly();
        return CompletableFuture.completedFuture(queueId());
    }

    private CompletableFuture<QueueId> fail(Throwable e) {
        discard();
        try {
            Files.deleteIfExists(spool.layout().file(key));
        } catch (IOException ignored) {
            // a file that stays is queued again at the next start: at worst a duplicate of the client's
            // retry after our 451, never a loss
        }
        QueueException qe = spool.ioError("cannot commit message " + queueId(), e);
        return CompletableFuture.failedFuture(qe);
    }

    @Override
    public void abort() {
        if (state == State.OPEN) {
            discard();
        }
    }

    @Override
    public void close() {
        abort();
    }

    private void discard() {
        state = State.ABORTED;
        closeQuietly();
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            spool.leftover(temp, e);
        }
    }

    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to save: the file is either renamed and fsynced, or being discarded
        }
    }
}
