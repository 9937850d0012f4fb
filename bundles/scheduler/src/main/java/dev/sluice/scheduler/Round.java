package dev.sluice.scheduler;

import dev.sluice.api.delivery.RecipientNotice;
import dev.sluice.api.event.DeliveryEvent;
import dev.sluice.api.queue.QueuedMessage;
import dev.sluice.api.queue.QueuedRecipient;
import dev.sluice.api.queue.RecipientUpdate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Supplier;

/**
 * One pass over a due message: its destination parts and then their batches. The DSN waits for the end of
 * the round so that one notification covers every recipient that failed in it, and so do the final states
 * of those recipients: the DSN must be queued while the original is still there to quote, and before
 * anything says that the recipient is settled.
 */
final class Round {

    private int outstanding;
    /** Created on first use: a million messages can be in rounds at once after an outage. */
    private List<RecipientNotice> notices;
    private List<RecipientNotice> delays;
    /** Failed recipients' final states and events, written after the DSN is queued. */
    private List<RecipientUpdate> finalUpdates;
    private List<DeliveryEvent> finalEvents;
    private QueuedMessage message;
    private String messageId;
    private boolean messageIdKnown;
    /** Set when an operator deleted the message while it was in flight; applied at the end. */
    private AdminDelete delete;
    private boolean progress;
    /** Recipients known to be stored as final, by index (created on first use), and how many the message has. */
    private BitSet settled;
    private int recipients;
    final boolean forced;

    Round(int parts, boolean forced) {
        this.outstanding = parts;
        this.forced = forced;
    }

    /** A part became {@code batches} batches (0 when it had nothing to send). */
    synchronized void split(int batches) {
        outstanding += batches - 1;
    }

    /** True when this was the last outstanding part or batch. */
    synchronized boolean done() {
        return --outstanding == 0;
    }

    /** Outcomes of a batch were recorded; {@code delayed} recipients get a delay warning at the end. */
    synchronized void recorded(QueuedMessage from, List<RecipientNotice> delayed) {
        progress = true;
        if (!delayed.isEmpty()) {
            // only a DSN needs the message; keeping it otherwise would hold every message in flight twice
            message = from;
            delays = delays == null ? new ArrayList<>() : delays;
            delays.addAll(delayed);
        }
    }

    /** Failed recipients of a batch: their DSN notice, and the final state and event that wait for it. */
    synchronized void failed(QueuedMessage from, List<RecipientNotice> failed, List<RecipientUpdate> updates,
                             List<DeliveryEvent> events) {
        if (failed.isEmpty()) {
            return;
        }
        message = from;
        notices = notices == null ? new ArrayList<>() : notices;
        notices.addAll(failed);
        finalUpdates = finalUpdates == null ? new ArrayList<>() : finalUpdates;
        finalUpdates.addAll(updates);
        finalEvents = finalEvents == null ? new ArrayList<>() : finalEvents;
        finalEvents.addAll(events);
    }

    /** {@code written} were stored; with the recipients already final in {@code from}, they are settled for good. */
    synchronized void settled(QueuedMessage from, List<RecipientUpdate> written) {
        recipients = from.recipients().size();
        settled = settled == null ? new BitSet(recipients) : settled;
        for (QueuedRecipient r : from.recipients()) {
            if (r.status().isFinal()) {
                settled.set(r.index());
            }
        }
        for (RecipientUpdate u : written) {
            if (u.status().isFinal()) {
                settled.set(u.index());
            }
        }
    }

    /** True when every recipient is stored as final: the queue has removed the message, no need to ask it. */
    synchronized boolean allSettled() {
        return settled != null && settled.cardinality() == recipients;
    }

    /** True once some outcome was recorded in this round. */
    synchronized boolean progress() {
        return progress;
    }

    /** The held final states were written. */
    synchronized void progressed() {
        progress = true;
    }

    /** Nothing is to be retried at once: the failures could not be settled (storage trouble). */
    synchronized void stalled() {
        progress = false;
    }

    /** The Message-ID of the round's message, read once (null when it has none). */
    synchronized String messageId(Supplier<String> reader) {
        if (!messageIdKnown) {
            messageId = reader.get();
            messageIdKnown = true;
        }
        return messageId;
    }

    synchronized List<RecipientUpdate> finalUpdates() {
        return finalUpdates == null ? List.of() : List.copyOf(finalUpdates);
    }

    synchronized List<DeliveryEvent> finalEvents() {
        return finalEvents == null ? List.of() : List.copyOf(finalEvents);
    }

    synchronized QueuedMessage message() {
        return message;
    }

    synchronized List<RecipientNotice> failures() {
        return notices == null ? List.of() : List.copyOf(notices);
    }

    synchronized List<RecipientNotice> delays() {
        return delays == null ? List.of() : List.copyOf(delays);
    }

    synchronized void delete(AdminDelete request) {
        delete = request;
    }

    synchronized AdminDelete delete() {
        return delete;
    }

    /** An operator delete: with or without a DSN, restricted to one destination or not (null). */
    record AdminDelete(boolean bounce, String destination) {
    }
}
