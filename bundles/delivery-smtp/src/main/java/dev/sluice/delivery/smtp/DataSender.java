package dev.sluice.delivery.smtp;

import dev.sluice.api.mail.MessageContent;
import dev.sluice.api.mail.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;

/**
 * Streams the content after a 354: one chunk is read only after the previous one has been written to the
 * socket, so a message is never held in memory whole and a slow server slows the reader down.
 */
final class DataSender {
    private final SmtpConnection conn;
    private final DotStuffer stuffer = new DotStuffer();
    private final byte[] buffer;
    private final CompletableFuture<Void> body = new CompletableFuture<>();
    private InputStream in;

    private DataSender(SmtpConnection conn) {
        this.conn = conn;
        this.buffer = new byte[conn.rt.settings.dataChunkBytes()];
    }

    /** Sends the content and the final dot; completes with the server's reply to the whole message. */
    static CompletableFuture<Reply> send(SmtpConnection conn, MessageContent content) {
        DataSender sender = new DataSender(conn);
        conn.rt.execute(() -> sender.open(content));
        return sender.body.thenCompose(v -> conn.send(sender.stuffer.terminator(),
                conn.rt.settings.dataTerminationTimeout(), "end of data"));
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
        if (n == 0) {
            closeQuietly();
            body.complete(null);
            return;
        }
        conn.write(stuffer.stuff(buffer, n), conn.rt.settings.dataBlockTimeout()).whenComplete((v, e) -> {
            if (e != null) {
                closeQuietly();
                body.completeExceptionally(e);
            } else {
                conn.rt.execute(this::step);
            }
        });
    }

    private void unreadable(Exception e) {
        closeQuietly();
        // The session is closed without the final dot, so the server discards the partial message.
        SmtpFailure f = SmtpFailure.attempt(451, "4.3.0", "cannot read the message content: " + e);
        conn.fail(f);
        body.completeExceptionally(f);
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
