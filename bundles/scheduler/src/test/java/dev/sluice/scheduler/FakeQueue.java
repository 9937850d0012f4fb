package dev.sluice.scheduler;

import dev.sluice.api.mail.BodyType;
import dev.sluice.api.mail.ClientIdentity;
import dev.sluice.api.mail.DsnReturn;
import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.MailAddress;
import dev.sluice.api.mail.MessageContent;
import dev.sluice.api.mail.QueueId;
import dev.sluice.api.mail.Recipient;
import dev.sluice.api.mail.ReversePath;
import dev.sluice.api.queue.MailQueue;
import dev.sluice.api.queue.MessageWriter;
import dev.sluice.api.queue.QueueEntry;
import dev.sluice.api.queue.QueueException;
import dev.sluice.api.queue.QueuedMessage;
import dev.sluice.api.queue.QueuedRecipient;
import dev.sluice.api.queue.RecipientStatus;
import dev.sluice.api.queue.RecipientUpdate;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** An in-memory MailQueue that applies updates like the real one and keeps a log of them. */
final class FakeQueue implements MailQueue {

    private final Map<QueueId, QueuedMessage> messages = new LinkedHashMap<>();
    private final Map<QueueId, byte[]> contents = new LinkedHashMap<>();
    final List<String> log = new ArrayList<>();
    private final Supplier<Instant> now;
    private int next;
    /** How many of the next updates fail, as a full disk would make them. */
    int failUpdates;
    /** What storeHeldDestinations stored; survives a "restart" when handed to the next queue. */
    java.util.Set<String> storedHeld = java.util.Set.of();
    boolean failHeldStore;
    /** Header fields put in front of the next messages' content. */
    String extraHeaders = "";
    /** How often any message's content was opened for reading. */
    final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();

    FakeQueue(Supplier<Instant> now) {
        this.now = now;
    }

    /** Stores a message from {@code sender} to the given addresses, due now; returns its index entry. */
    synchronized QueueEntry add(String sender, String... recipients) {
        QueueId id = new QueueId("Q" + (++next));
        List<Recipient> rcpts = java.util.Arrays.stream(recipients).map(a -> Recipient.of(MailAddress.parse(a)))
                .toList();
        Envelope env = new Envelope(sender.isEmpty() ? ReversePath.NULL : ReversePath.parse(sender), rcpts,
                BodyType.EIGHT_BIT_MIME, false, 0, DsnReturn.UNSPECIFIED, null, ClientIdentity.local("test"),
                now.get());
        List<QueuedRecipient> states = new ArrayList<>();
        for (int i = 0; i < rcpts.size(); i++) {
            states.add(new QueuedRecipient(i, rcpts.get(i), RecipientStatus.PENDING, now.get(), List.of()));
        }
        byte[] content = (extraHeaders + "Message-ID: <" + id + "@test>\r\nSubject: hello\r\n\r\nbody of " + id + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        messages.put(id, new QueuedMessage(id, env, content.length, states, false));
        contents.put(id, content);
        return entry(id);
    }

    synchronized QueueEntry entry(QueueId id) {
        QueuedMessage m = messages.get(id);
        List<QueuedRecipient> open = m.recipients().stream().filter(r -> !r.status().isFinal()).toList();
        return new QueueEntry(id, open.stream().map(QueuedRecipient::nextAttempt).min(Instant::compareTo)
                .orElse(now.get()), m.held(), open.stream().map(r -> r.recipient().address().asciiDomain())
                .distinct().toList(), m.envelope().sender().address().map(MailAddress::asciiDomain).orElse(""),
                m.size(), m.envelope().receivedAt());
    }

    synchronized QueuedRecipient recipient(QueueEntry e, int index) {
        return messages.get(e.id()).recipients().get(index);
    }

    synchronized boolean contains(QueueEntry e) {
        return messages.containsKey(e.id());
    }

    @Override
    public MessageWriter open(Envelope envelope) {
        throw new UnsupportedOperationException();
    }

    /** How often each message was read with {@link #get}. */
    final java.util.Map<QueueId, Integer> gets = new java.util.HashMap<>();

    @Override
    public synchronized Optional<QueuedMessage> get(QueueId id) {
        gets.merge(id, 1, Integer::sum);
        return Optional.ofNullable(messages.get(id));
    }

    @Override
    public synchronized MessageContent content(QueueId id) throws QueueException {
        byte[] bytes = contents.get(id);
        if (bytes == null) {
            throw new QueueException(dev.sluice.api.mail.Reply.of(451, "4.3.0", "gone"), "no " + id);
        }
        return new MessageContent() {
            @Override
            public InputStream openStream() {
                reads.incrementAndGet();
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public long size() {
                return bytes.length;
            }
        };
    }

    @Override
    public synchronized void update(QueueId id, List<RecipientUpdate> updates) throws QueueException {
        QueuedMessage m = messages.get(id);
        if (m == null) {
            throw new QueueException(dev.sluice.api.mail.Reply.of(451, "4.3.0", "gone"), "no " + id);
        }
        if (failUpdates > 0) {
            failUpdates--;
            throw QueueException.lowOnSpace("disk full");
        }
        List<QueuedRecipient> rs = new ArrayList<>(m.recipients());
        for (RecipientUpdate u : updates) {
            QueuedRecipient r = rs.get(u.index());
            List<dev.sluice.api.queue.Attempt> attempts = new ArrayList<>(r.attempts());
            if (u.attempt() != null) {
                attempts.add(u.attempt());
            }
            rs.set(u.index(), new QueuedRecipient(u.index(), r.recipient(), u.status(), u.nextAttempt(), attempts));
            log.add("update " + id + " " + r.recipient().address() + " " + u.status());
        }
        QueuedMessage updated = new QueuedMessage(id, m.envelope(), m.size(), rs, m.held());
        if (updated.isComplete()) {
            messages.remove(id);
        } else {
            messages.put(id, updated);
        }
    }

    @Override
    public synchronized void setHeld(QueueId id, boolean held) {
        QueuedMessage m = messages.get(id);
        if (m != null) {
            messages.put(id, new QueuedMessage(id, m.envelope(), m.size(), m.recipients(), held));
        }
    }

    @Override
    public synchronized void remove(QueueId id) {
        messages.remove(id);
    }

    @Override
    public void forEach(Consumer<QueueEntry> action) {
        List<QueueId> ids;
        synchronized (this) {
            ids = List.copyOf(messages.keySet());
        }
        for (QueueId id : ids) {
            QueueEntry e;
            synchronized (this) {
                e = messages.containsKey(id) ? entry(id) : null;
            }
            if (e != null) {
                action.accept(e);
            }
        }
    }

    @Override
    public synchronized long size() {
        return messages.size();
    }

    @Override
    public synchronized java.util.Set<String> heldDestinations() {
        return storedHeld;
    }

    @Override
    public synchronized boolean storeHeldDestinations(java.util.Set<String> destinations)
            throws dev.sluice.api.queue.QueueException {
        if (failHeldStore) {
            throw dev.sluice.api.queue.QueueException.ioError("disk failed (injected)", null);
        }
        storedHeld = java.util.Set.copyOf(destinations);
        return true;
    }
}
