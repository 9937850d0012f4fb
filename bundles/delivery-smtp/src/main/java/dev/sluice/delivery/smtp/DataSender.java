package dev.sluice.delivery.smtp;

import dev.sluice.api.mail.MessageContent;
import dev.sluice.api.mail.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * Streams the content after a 354: one chunk is read only after the previous one has been written to the
 * socket, so a message is never held in memory whole and a slow server slows the reader down. The last chunk
 * and the final dot go out in one write (a message smaller than a chunk costs one write and one reply).
 */
final class DataSender {
    private final SmtpConnection conn;
    private final DotStuffer stuffer = new DotStuffer();
    private final byte[] buffer;
    private final CompletableFuture<Reply> reply = new CompletableFuture<>();
    private InputStream in;

    private DataSender(SmtpConnection conn) {
        this.conn = conn;
        this.buffer = new byte[conn.rt.settings.dataChunkBytes()];
    }

    /** Sends the content and the final dot; completes with the server's reply to the whole message. */
    static CompletableFuture<Reply> send(SmtpConnection conn, MessageContent content) {
        DataSender sender = new DataSender(conn);
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
            conn.send(last, conn.rt.settings.dataTerminationTimeout(), "end of data").whenComplete((r, e) -> {
                if (e != null) {
                    reply.completeExceptionally(e);
                } else {
                    reply.complete(r);
                }
            });
            return;
        }
        Thread caller = Thread.currentThread();
        conn.write(stuffer.stuff(buffer, n), conn.rt.settings.dataBlockTimeout()).whenComplete((v, e) -> {
            if (e != null) {
                closeQuietly();
                reply.completeExceptionally(e);
            } else if (Thread.currentThread() != caller) {
                step(); // on the worker that saw the flush: no further hand-off
            } else {
                conn.rt.execute(this::step); // flushed already: a loop, not a recursion as deep as the message
            }
        });
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
