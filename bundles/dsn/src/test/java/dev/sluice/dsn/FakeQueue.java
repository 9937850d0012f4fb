package dev.sluice.dsn;

import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.MessageContent;
import dev.sluice.api.mail.QueueId;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.queue.MailQueue;
import dev.sluice.api.queue.MessageWriter;
import dev.sluice.api.queue.QueueException;
import dev.sluice.api.queue.QueuedMessage;
import dev.sluice.api.queue.QueueEntry;
import dev.sluice.api.queue.RecipientUpdate;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** An in-memory queue holding the originals' content and recording what the DSN service queues. */
final class FakeQueue implements MailQueue {

    record Committed(QueueId id, Envelope envelope, byte[] content) {
    }

    final Map<QueueId, byte[]> originals = new HashMap<>();
    final List<Committed> committed = new ArrayList<>();
    int opened;
    int aborted;
    boolean failCommit;

    @Override
    public MessageWriter open(Envelope envelope) {
        QueueId id = new QueueId("DSN" + ++opened);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        return new MessageWriter() {
            private boolean done;

            @Override
            public QueueId queueId() {
                return id;
            }

            @Override
            public OutputStream content() {
                return content;
            }

            @Override
            public CompletionStage<QueueId> commit() {
                if (failCommit) {
                    return CompletableFuture.failedFuture(QueueException.lowOnSpace("disk full (test)"));
                }
                done = true;
                committed.add(new Committed(id, envelope, content.toByteArray()));
                return CompletableFuture.completedFuture(id);
            }

            @Override
            public void abort() {
                aborted++;
                done = true;
            }

            @Override
            public void close() {
                if (!done) {
                    abort();
                }
            }
        };
    }

    @Override
    public MessageContent content(QueueId id) throws QueueException {
        byte[] bytes = originals.get(id);
        if (bytes == null) {
            throw new QueueException(Reply.of(451, "4.3.0", "no such message"), "no message " + id);
        }
        return MessageContent.of(bytes);
    }

    @Override
    public Optional<QueuedMessage> get(QueueId id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void update(QueueId id, List<RecipientUpdate> updates) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setHeld(QueueId id, boolean held) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void remove(QueueId id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void forEach(Consumer<QueueEntry> action) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long size() {
        return originals.size();
    }
}
