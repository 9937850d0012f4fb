package dev.sluice.smtp.server;

import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.MessageContent;
import dev.sluice.api.mail.QueueId;
import dev.sluice.api.queue.MailQueue;
import dev.sluice.api.queue.MessageWriter;
import dev.sluice.api.queue.QueueException;
import dev.sluice.api.queue.QueuedMessage;
import dev.sluice.api.queue.QueueEntry;
import dev.sluice.api.queue.RecipientUpdate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** An in-memory queue that records committed messages and counts opens and aborts. */
final class FakeQueue implements MailQueue {

    record Stored(QueueId id, Envelope envelope, byte[] content) {
        String text() {
            return new String(content, StandardCharsets.UTF_8);
        }

        /** The content after our Received header. */
        byte[] body() {
            String s = new String(content, StandardCharsets.ISO_8859_1);
            int i = 0;
            while (true) {
                int crlf = s.indexOf("\r\n", i);
                if (crlf + 2 >= s.length() || s.charAt(crlf + 2) != '\t') {
                    return s.substring(crlf + 2).getBytes(StandardCharsets.ISO_8859_1);
                }
                i = crlf + 2;
            }
        }
    }

    final List<Stored> committed = new CopyOnWriteArrayList<>();
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger aborted = new AtomicInteger();
    volatile QueueException failOpen;
    volatile QueueException failCommit;
    volatile boolean failWrites;
    /** When set, content writes wait until it opens: a disk slower than the network. */
    volatile java.util.concurrent.CountDownLatch writeGate;
    /** Content bytes written into every writer so far. */
    final java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
    private static final OutputStream FAILING = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            throw new IOException("Input/output error (injected)");
        }
    };
    /** Names of the threads open() was called on. */
    final List<String> openThreads = new CopyOnWriteArrayList<>();

    @Override
    public MessageWriter open(Envelope envelope) throws QueueException {
        openThreads.add(Thread.currentThread().getName());
        if (failOpen != null) {
            throw failOpen;
        }
        QueueId id = new QueueId("Q" + opened.incrementAndGet());
        return new MessageWriter() {
            private final ByteArrayOutputStream out = new ByteArrayOutputStream();
            private final OutputStream gated = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    java.util.concurrent.CountDownLatch gate = writeGate;
                    try {
                        if (gate != null && !gate.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
                            throw new IOException("write gate never opened");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException(e);
                    }
                    out.write(b, off, len);
                    written.addAndGet(len);
                }
            };
            private boolean done;

            @Override
            public QueueId queueId() {
                return id;
            }

            @Override
            public OutputStream content() {
                return failWrites ? FAILING : gated;
            }

            @Override
            public CompletionStage<QueueId> commit() {
                if (failCommit != null) {
                    return CompletableFuture.failedFuture(failCommit);
                }
                done = true;
                committed.add(new Stored(id, envelope, out.toByteArray()));
                return CompletableFuture.completedFuture(id);
            }

            @Override
            public void abort() {
                if (!done) {
                    done = true;
                    aborted.incrementAndGet();
                }
            }

            @Override
            public void close() {
                abort();
            }
        };
    }

    @Override
    public Optional<QueuedMessage> get(QueueId id) {
        return Optional.empty();
    }

    @Override
    public MessageContent content(QueueId id) throws QueueException {
        throw new QueueException(MessageReception.QUEUE_FAILED, "not supported");
    }

    @Override
    public void update(QueueId id, List<RecipientUpdate> updates) {
    }

    @Override
    public void setHeld(QueueId id, boolean held) {
    }

    @Override
    public void remove(QueueId id) {
    }

    @Override
    public void forEach(Consumer<QueueEntry> action) {
    }

    @Override
    public long size() {
        return committed.size();
    }
}
