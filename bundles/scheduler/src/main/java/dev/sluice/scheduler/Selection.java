package dev.sluice.scheduler;

import dev.sluice.api.queue.MailQueue;
import dev.sluice.api.queue.QueueException;
import dev.sluice.api.queue.QueueSelector;
import dev.sluice.api.queue.QueuedMessage;
import dev.sluice.api.queue.RecipientStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Which index entries a selector matches. Criteria the index holds (id, destination, sender domain, held,
 * pending/deferred) are matched in memory; sender, recipient and final states need the message, which is
 * loaded only for entries that passed the rest. Results are ordered by arrival, then id, for stable pages.
 */
final class Selection {

    private final Engine engine;

    Selection(Engine engine) {
        this.engine = engine;
    }

    /** @throws IllegalArgumentException for a selector without criteria that is not {@link QueueSelector#all()} */
    static void check(QueueSelector selector) {
        if (selector == null || !selector.hasCriteria() && !selector.everything()) {
            throw new IllegalArgumentException("a selector needs at least one criterion (or QueueSelector.all())");
        }
    }

    static boolean destinationOnly(QueueSelector s) {
        return s != null && s.destination() != null && s.id() == null && s.sender() == null && s.recipient() == null
                && s.senderDomain() == null && s.status() == null && s.held() == null;
    }

    static boolean needsMessage(QueueSelector s) {
        return s.sender() != null || s.recipient() != null || s.status() != null && s.status().isFinal();
    }

    /** Every matching entry, for a bulk action. */
    List<Entry> resolve(QueueSelector selector) throws QueueException {
        check(selector);
        List<Entry> candidates = candidates(selector);
        return needsMessage(selector) ? filterLoaded(candidates, selector, Integer.MAX_VALUE) : candidates;
    }

    /** Arrival, then id: stable pages (both are fixed for an entry's life). */
    private static final Comparator<Entry> ORDER = Comparator.comparingLong((Entry e) -> e.queuedAt)
            .thenComparing(e -> e.id, Arrays::compareUnsigned);

    /** A page of {@link #candidates} and how many there are in all. */
    record Slice(List<Entry> entries, int total) {
    }

    /**
     * The entries at {@code [offset, offset + limit)} of {@link #candidates}' order, without sorting every match:
     * a page of a million-message destination keeps only the first {@code offset + limit} in a bounded heap.
     */
    Slice slice(QueueSelector s, int offset, int limit) {
        if (s.id() != null) {
            List<Entry> all = candidates(s);
            return new Slice(all.subList(Math.min(offset, all.size()), Math.min(all.size(), offset + limit)),
                    all.size());
        }
        String destination = lower(s.destination());
        String senderDomain = lower(s.senderDomain());
        int keep = (int) Math.min(Integer.MAX_VALUE - 8L, (long) offset + limit);
        PriorityQueue<Entry> first = new PriorityQueue<>(Math.max(1, Math.min(keep, 1024)), ORDER.reversed());
        int total = 0;
        synchronized (engine.lock) {
            for (Entry e : engine.index.entries()) {
                if (!matches(e, s, destination, senderDomain)) {
                    continue;
                }
                total++;
                if (first.size() < keep) {
                    first.add(e);
                } else if (keep > 0 && ORDER.compare(e, first.peek()) < 0) {
                    first.poll();
                    first.add(e);
                }
            }
        }
        List<Entry> page = new ArrayList<>(first);
        page.sort(ORDER);
        return new Slice(page.subList(Math.min(offset, page.size()), page.size()), total);
    }

    /** The entries matching the criteria the index knows, in a stable order. */
    List<Entry> candidates(QueueSelector s) {
        String destination = lower(s.destination());
        String senderDomain = lower(s.senderDomain());
        List<Entry> out = new ArrayList<>();
        synchronized (engine.lock) {
            if (s.id() != null) {
                Entry e = engine.index.get(s.id().value());
                if (e != null && matches(e, s, destination, senderDomain)) {
                    out.add(e);
                }
                return out;
            }
            for (Entry e : engine.index.entries()) {
                if (matches(e, s, destination, senderDomain)) {
                    out.add(e);
                }
            }
        }
        out.sort(ORDER);
        return out;
    }

    /** Loads candidates in order and keeps those matching the message criteria, stopping after {@code max}. */
    List<Entry> filterLoaded(List<Entry> candidates, QueueSelector s, int max) {
        MailQueue queue = engine.services.queue.get();
        List<Entry> out = new ArrayList<>();
        for (Entry e : candidates) {
            if (out.size() >= max || queue == null) {
                break;
            }
            try {
                Optional<QueuedMessage> msg = queue.get(e.queueId());
                if (msg.isPresent() && matches(msg.get(), s)) {
                    out.add(e);
                }
            } catch (QueueException ex) {
                // a message that cannot be read does not match; the queue logs the cause
            }
        }
        return out;
    }

    private boolean matches(Entry e, QueueSelector s, String destination, String senderDomain) {
        if (destination != null && !e.hasDestination(destination)) {
            return false;
        }
        if (senderDomain != null && !senderDomain.equals(lower(e.senderDomain))) {
            return false;
        }
        if (s.held() != null && s.held() != e.held) {
            return false;
        }
        if (s.status() == RecipientStatus.PENDING) {
            return e.pending > 0;
        }
        return s.status() != RecipientStatus.DEFERRED || e.deferred > 0;
    }

    private static boolean matches(QueuedMessage m, QueueSelector s) {
        if (s.sender() != null && !lower(m.envelope().sender().toString()).contains(lower(s.sender()))) {
            return false;
        }
        if (s.recipient() != null && m.recipients().stream().noneMatch(
                r -> lower(r.recipient().address().toString()).contains(lower(s.recipient())))) {
            return false;
        }
        return s.status() == null || !s.status().isFinal()
                || m.recipients().stream().anyMatch(r -> r.status() == s.status());
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
