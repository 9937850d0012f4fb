package dev.sluice.scheduler;

import dev.sluice.api.mail.MessageContent;
import dev.sluice.api.mail.QueueId;
import dev.sluice.api.queue.MailQueue;
import dev.sluice.api.queue.QueueException;
import java.io.IOException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A queued message's content and header block, opened and read at most once, by whoever needs them first (the
 * tenant key when a batch is prepared, the filters and the events' Message-ID when it is dispatched), for every
 * batch of the message to one destination.
 */
final class StoredContent {

    private static final Logger LOG = LoggerFactory.getLogger(StoredContent.class);

    private final QueueId id;
    private final Supplier<MailQueue> queue;
    private MessageContent content;
    private boolean opened;
    private Headers headers;
    private boolean read;

    StoredContent(QueueId id, Supplier<MailQueue> queue) {
        this.id = id;
        this.queue = queue;
    }

    /** The content; null when it cannot be opened (logged once; every batch is then deferred). */
    synchronized MessageContent content() {
        if (!opened) {
            opened = true;
            try {
                MailQueue q = queue.get();
                content = q == null ? null : q.content(id);
            } catch (QueueException | RuntimeException e) {
                LOG.warn("Cannot read the content of {}", id, e);
            }
        }
        return content;
    }

    /** The header block; null when it cannot be read. */
    synchronized Headers headers() {
        if (!read) {
            read = true;
            MessageContent c = content();
            try {
                headers = c == null ? null : Headers.read(c);
            } catch (IOException | RuntimeException e) {
                LOG.debug("Cannot read the header of {}", id, e);
            }
        }
        return headers;
    }
}
