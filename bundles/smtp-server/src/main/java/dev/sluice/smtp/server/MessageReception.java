package dev.sluice.smtp.server;

import dev.sluice.api.event.DeliveryEvent;
import dev.sluice.api.filter.DataRequest;
import dev.sluice.api.filter.HeaderChange;
import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.HeaderField;
import dev.sluice.api.mail.QueueId;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.queue.MailQueue;
import dev.sluice.api.queue.MessageWriter;
import dev.sluice.api.queue.QueueException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One message body on its way into the queue: streamed into the writer as it arrives (or into a spool when
 * DataFilters must see it first), size-checked, then filtered and committed. Ends committed or aborted.
 */
final class MessageReception {

    static final Reply QUEUE_FAILED = Reply.of(451, "4.3.0", "Temporary queue failure, try again later");
    static final Reply TOO_BIG = Reply.of(552, "5.3.4", "Message size exceeds fixed maximum message size");
    private static final Logger LOG = LoggerFactory.getLogger(MessageReception.class);
    private static final int MAX_FILTERED_HEADER = 1024 * 1024;

    private final ListenerContext ctx;
    private final Envelope envelope;
    private final MailQueue queue;
    private final MessageWriter writer;
    private final boolean extended;
    private final Spool spool;
    private final HeaderCapture header = new HeaderCapture();
    private final BareNewlineCheck crlfCheck;
    private long size;
    private Reply failure;
    private List<HeaderField> fields = List.of();
    /** With DataFilters: the header as read back from the spool, and the UTF-8 view the filters get. */
    private HeaderParser.Parsed parsed;
    private List<HeaderField> view;

    private MessageReception(ListenerContext ctx, Envelope envelope, MailQueue queue, MessageWriter writer,
                             boolean extended, boolean checkCrlf, Spool spool) {
        this.ctx = ctx;
        this.envelope = envelope;
        this.queue = queue;
        this.writer = writer;
        this.extended = extended;
        this.crlfCheck = checkCrlf ? new BareNewlineCheck() : null;
        this.spool = spool;
    }

    /** Opens the queue writer; call on a worker thread. Returns the reply to refuse with via QueueException. */
    static MessageReception open(ListenerContext ctx, Envelope envelope, boolean extended, boolean checkCrlf)
            throws QueueException {
        MailQueue queue = ctx.services().queue();
        if (queue == null) {
            throw new QueueException(QUEUE_FAILED, "no MailQueue service");
        }
        MessageWriter writer;
        try {
            writer = queue.open(envelope);
        } catch (RuntimeException e) {
            throw new QueueException(QUEUE_FAILED, "MailQueue.open failed", e);
        }
        Spool spool = null;
        try {
            if (!ctx.services().dataFilters.isEmpty()) {
                spool = new Spool();
            } else {
                writer.content().write(received(ctx, envelope, writer.queueId(), extended));
            }
            return new MessageReception(ctx, envelope, queue, writer, extended, checkCrlf, spool);
        } catch (IOException | RuntimeException e) {
            writer.abort();
            throw new QueueException(QUEUE_FAILED, "cannot start writing the message", e);
        }
    }

    void write(byte[] bytes, int offset, int length) {
        if (failure != null) {
            return;
        }
        size += length;
        if (size > ctx.settings().maxMessageSize()) {
            fail(TOO_BIG, null);
            return;
        }
        if (crlfCheck != null && !crlfCheck.accept(bytes, offset, length)) {
            fail(Reply.of(550, "5.6.0", "Message contains bare CR or LF"), null);
            return;
        }
        header.add(bytes, offset, length);
        try {
            if (spool != null) {
                spool.write(bytes, offset, length);
            } else {
                writer.content().write(bytes, offset, length);
            }
        } catch (IOException | RuntimeException e) {
            fail(QUEUE_FAILED, e);
        }
    }

    /**
     * First step of ending the message: the checks that need no filter. Returns the refusal (the writer is then
     * aborted) or null when the message goes on to {@link #filter()}.
     */
    Reply prepare() {
        try {
            if (failure == null && crlfCheck != null && !crlfCheck.complete()) {
                failure = Reply.of(550, "5.6.0", "Message contains bare CR or LF");
            }
            if (failure != null) {
                abort();
                return failure;
            }
            fields = HeaderParser.parse(header.bytes(), header.size()).fields();
            if (spool != null) {
                spool.finishWriting();
                byte[] head;
                try (InputStream in = spool.openStream()) {
                    head = in.readNBytes(MAX_FILTERED_HEADER + 4);
                }
                int headerEnd = HeaderParser.headerLength(head, head.length);
                if (headerEnd < 0 && spool.size() > MAX_FILTERED_HEADER) {
                    abort();
                    return Reply.of(552, "5.3.4", "Message header too large");
                }
                parsed = HeaderParser.parse(head, headerEnd < 0 ? head.length : headerEnd);
                view = HeaderParser.forFilters(parsed.fields());
            }
            return null;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Message for {} failed before commit", envelope.sender(), e);
            abort();
            return QUEUE_FAILED;
        }
    }

    /** Second step: the DataFilters' decision (at once when none was registered as the message began). */
    CompletionStage<FilterRunner.Outcome> filter() {
        if (spool == null) {
            return CompletableFuture.completedFuture(FilterRunner.NONE);
        }
        DataRequest request = new DataRequest(envelope, view, spool);
        return ctx.filters().run(ctx.services().dataFilters, f -> f.onData(request));
    }

    /** Last step, on the session's worker: applies the decision and commits. The writer is done with after it. */
    Reply complete(FilterRunner.Outcome outcome) {
        try {
            if (spool != null) {
                if (outcome.refusal() != null) {
                    abort();
                    return outcome.refusal();
                }
                if (outcome.discard()) {
                    LOG.info("Message from {} discarded by a DataFilter", envelope.sender());
                    abort();
                    return Reply.of(250, "2.0.0", "OK");
                }
                copyFiltered(outcome.changes());
            }
            if (ctx.services().queue() != queue) {
                abort();
                return QUEUE_FAILED; // the queue was replaced mid-transaction: the client retries
            }
            return commit(messageId(fields));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Message for {} failed before commit", envelope.sender(), e);
            abort();
            return QUEUE_FAILED;
        }
    }

    /** The reply the message will be refused with, or null while it is fine. */
    Reply failure() {
        return failure;
    }

    void abort() {
        writer.abort();
        if (spool != null) {
            spool.close();
        }
    }

    private void copyFiltered(List<HeaderChange> changes) throws IOException {
        OutputStream out = writer.content();
        out.write(received(ctx, envelope, writer.queueId(), extended));
        if (changes.isEmpty()) {
            spool.copyTo(out, 0);
        } else {
            for (HeaderField field : HeaderChanges.apply(view, changes)) {
                out.write(field.toWire().getBytes(StandardCharsets.UTF_8));
            }
            spool.copyTo(out, parsed.end());
        }
        spool.close();
    }

    private Reply commit(String messageId) {
        QueueId id;
        try {
            id = writer.commit().toCompletableFuture().get(ctx.settings().commitTimeoutSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
            LOG.warn("Queue commit failed for message from {}: {}", envelope.sender(), String.valueOf(cause));
            writer.abort();
            return cause instanceof QueueException q ? q.reply() : QUEUE_FAILED;
        } catch (TimeoutException e) {
            writer.abort();
            return QUEUE_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writer.abort();
            return QUEUE_FAILED;
        }
        Reply ok = Reply.of(250, "2.0.0", "OK queued as " + id);
        var client = envelope.client();
        ctx.services().publish(new DeliveryEvent(DeliveryEvent.Kind.RECEIVED, ctx.clock().instant(), id, messageId,
                envelope.sender().toString(), null, null, client.helo(), client.remote().getAddress().getHostAddress(),
                client.tlsProtocol(), ok, null, 0, size));
        return ok;
    }

    private void fail(Reply reply, Exception cause) {
        if (cause != null) {
            LOG.warn("Writing message from {} failed", envelope.sender(), cause);
        }
        failure = reply;
        writer.abort();
    }

    private static String messageId(List<HeaderField> fields) {
        return fields.stream().filter(f -> f.hasName("Message-ID")).map(f -> f.value().strip()).findFirst().orElse(null);
    }

    private static byte[] received(ListenerContext ctx, Envelope envelope, QueueId id, boolean extended) {
        return ReceivedHeader.render(envelope, id, ctx.settings().hostname(), extended);
    }
}
