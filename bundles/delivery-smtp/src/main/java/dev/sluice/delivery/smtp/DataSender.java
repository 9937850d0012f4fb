package dev.sluice.delivery.smtp;

import dev.sluice.api.mail.MessageContent;
import dev.sluice.api.mail.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * Streams the content after a 354: chunks are read while at most two of them wait for the socket, so a message
 * is never held in memory whole and a slow server slows the reader down, while a fast one costs no wait per
 * chunk. The last chunk and the final dot go out in one write (a message smaller than a chunk costs one write
 * and one reply).
 */
final class DataSender {
    private final SmtpConnection conn;
    private final DotStuffer stuffer = new DotStuffer();
    private final byte[] buffer;
    /** Bytes that may wait in the session's write queue before the next read waits for a flush. */
    private final int aheadLimit;
    private final CompletableFuture<Reply> reply = new CompletableFuture<>();
    private InputStream in;

    private DataSender(SmtpConnection conn, long size) {
        this.conn = conn;
        int chunk = conn.rt.settings.dataChunkBytes();
        // one more than the content: the first read then already tells that it was the last
        this.buffer = new byte[(int) Math.max(1, Math.min(chunk, size + 1))];
        this.aheadLimit = 2 * chunk;
    }

    /** Sends the content and the final dot; completes with the server's reply to the whole message. */
    static CompletableFuture<Reply> send(SmtpConnection conn, MessageContent content) {
        DataSender sender = new DataSender(conn, content.size());
        conn.rt.execute(() -> sender.open(content));
        return sender.reply;
    }

    private void open(MessageContent content) {
        try {
            in = content.openStream();
            step();
        } catch (IOException | RuntimeException e) {
            unreadable(e);
        }
    }

    private void step() {
        while (true) {
            int n;
            try {
                n = in.readNBytes(buffer, 0, buffer.length);
            } catch (IOException | RuntimeException e) {
                unreadable(e);
                return;
            }
            if (n < buffer.length) {
                closeQuietly();
                byte[] body = stuffer.stuff(buffer, n);
                byte[] end = stuffer.terminator();
                byte[] last = Arrays.copyOf(body, body.length + end.length);
                System.arraycopy(end, 0, last, body.length, end.length);
                // only the future waits for the reply (up to dataTerminationTimeout), not this sender: its chunk
                // buffer would otherwise stay on the heap that long for every session waiting (16 KB x 2,000)
                CompletableFuture<Reply> result = reply;
                conn.send(last, conn.rt.settings.dataTerminationTimeout(), "end of data").whenComplete((r, e) -> {
                    if (e != null) {
                        result.completeExceptionally(e);
                    } else {
                        result.complete(r);
                    }
                });
                return;
            }
            byte[] chunk = stuffer.stuff(buffer, n);
            if (conn.unflushedBytes() + chunk.length <= aheadLimit) {
                // the socket keeps up: write on without waiting (a failed write fails the session, and with it
                // the reply this sender completes)
                conn.writeAhead(chunk);
                continue;
            }
            Thread caller = Thread.currentThread();
            conn.write(chunk, conn.rt.settings.dataBlockTimeout()).whenComplete((v, e) -> {
                if (e != null) {
                    closeQuietly();
                    reply.completeExceptionally(e);
                } else if (Thread.currentThread() != caller) {
                    step(); // on the worker that saw the flush: no further hand-off
                } else {
                    conn.rt.execute(this::step); // flushed already: a loop, not a recursion as deep as the message
                }
            });
            return;
        }
    }

    private void unreadable(Exception e) {
        closeQuietly();
        // The session is closed without the final dot, so the server discards the partial message.
        SmtpFailure f = SmtpFailure.attempt(451, "4.3.0", "cannot read the message content: " + e);
        conn.fail(f);
        reply.completeExceptionally(f);
    }

    private void closeQuietly() {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // Nothing was lost: the content is only read.
            }
        }
    }
}
