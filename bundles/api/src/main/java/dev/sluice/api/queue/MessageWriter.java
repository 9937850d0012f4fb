package dev.sluice.api.queue;

import dev.sluice.api.mail.QueueId;
import java.io.OutputStream;
import java.util.concurrent.CompletionStage;

/**
 * A message being received into the queue. The SMTP listener writes the content (CRLF line ends, no
 * dot-stuffing; its own Received header first) as it arrives, then calls {@link #commit()} or
 * {@link #abort()} exactly once. Not thread-safe: one writer belongs to one transaction.
 */
@org.osgi.annotation.versioning.ProviderType
public interface MessageWriter extends AutoCloseable {

    /** The id the message will have once committed; usable in the Received header before commit. */
    QueueId queueId();

    /** Where the content goes. Writes may block on disk I/O, so never call this on a network I/O thread. */
    OutputStream content();

    /**
     * Makes the message durable. The stage completes only after content, envelope and directory entry
     * are fsynced (several commits may share one fsync), and fails with a {@link QueueException} whose
     * reply the client is given; on failure nothing of the message remains in the queue.
     */
    CompletionStage<QueueId> commit();

    /** Discards everything written. Safe to call after a failed commit and more than once. */
    void abort();

    /** Aborts unless committed. */
    @Override
    void close();
}
