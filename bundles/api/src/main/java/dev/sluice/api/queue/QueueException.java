package dev.sluice.api.queue;

import dev.sluice.api.mail.Reply;
import java.util.Objects;

/**
 * The queue cannot take or change a message now. {@link #reply()} is what an SMTP client should be told:
 * {@code 452 4.3.1} when the disk is below its free-space floor, {@code 451 4.3.0} on an I/O error.
 * Nothing half-written remains when this is thrown.
 */
public class QueueException extends Exception {

    private static final long serialVersionUID = 1L;
    private final transient Reply reply;

    public QueueException(Reply reply, String message, Throwable cause) {
        super(message, cause);
        this.reply = Objects.requireNonNull(reply, "reply");
    }

    public QueueException(Reply reply, String message) {
        this(reply, message, null);
    }

    public Reply reply() {
        return reply;
    }

    public static QueueException ioError(String message, Throwable cause) {
        return new QueueException(Reply.of(451, "4.3.0", "Temporary queue failure, try again later"), message, cause);
    }

    public static QueueException lowOnSpace(String message) {
        return new QueueException(Reply.of(452, "4.3.1", "Insufficient system storage, try again later"), message);
    }
}
