package dev.sluice.queue.file;

import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.MessageContent;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a commit knows about a message, kept until the message's first change: its state (every recipient
 * pending) and, for a small one, its content. The first delivery attempt comes within milliseconds of the commit,
 * and reads neither the envelope nor the content back from the file. Bounded in entries and content bytes; a
 * message not kept is read from its file as always. A message still unchanged after {@code maxAgeMillis} (held, or
 * waiting for a rate limit) has missed that moment: when the cache is full it makes room for newer ones, so that a
 * large hold does not send every later first delivery to the disk.
 */
final class FreshMessages {

    /** A committed message as its file says until its first change. {@code content} is null when not kept. */
    record Fresh(long queuedAt, Envelope envelope, long contentOffset, long contentLength, byte[] content) {

        MessageState state() {
            return new MessageState(queuedAt, envelope, contentOffset, contentLength);
        }

        MessageContent content(Path file) {
            return content == null ? new FileContent(file, contentOffset, contentLength) : MessageContent.of(content);
        }
    }

    private final ConcurrentHashMap<Long, Fresh> messages = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong nextSweep = new AtomicLong(Long.MIN_VALUE);
    private final int maxEntries;
    private final long maxBytes;
    private final long maxAgeMillis;
    private final Clock clock;

    FreshMessages(int maxEntries, long maxBytes, long maxAgeMillis, Clock clock) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.maxAgeMillis = maxAgeMillis;
        this.clock = clock;
    }

    /** Keeps the message if there is room (its content only if that fits too). */
    void put(long key, Fresh fresh) {
        if (messages.size() >= maxEntries && !madeRoom()) {
            return;
        }
        if (fresh.content() != null && bytes.addAndGet(fresh.content().length) > maxBytes) {
            bytes.addAndGet(-fresh.content().length);
            fresh = new Fresh(fresh.queuedAt(), fresh.envelope(), fresh.contentOffset(), fresh.contentLength(), null);
        }
        messages.put(key, fresh);
    }

    Fresh get(long key) {
        return messages.get(key);
    }

    /**
     * Forgets the messages older than {@code maxAgeMillis}; at most once per {@code maxAgeMillis / 4} (a full cache
     * of fresh messages would otherwise be walked on every commit). True when that made room.
     */
    private boolean madeRoom() {
        long now = clock.millis();
        long due = nextSweep.get();
        if (now < due || !nextSweep.compareAndSet(due, now + Math.max(1, maxAgeMillis / 4))) {
            return false;
        }
        long oldest = now - maxAgeMillis;
        messages.forEach((key, fresh) -> {
            if (fresh.queuedAt() < oldest) {
                forget(key);
            }
        });
        return messages.size() < maxEntries;
    }

    /** Forgets the message: call before its file changes (under its lock), so nobody reads an outdated state. */
    void forget(long key) {
        Fresh gone = messages.remove(key);
        if (gone != null && gone.content() != null) {
            bytes.addAndGet(-gone.content().length);
        }
    }
}
