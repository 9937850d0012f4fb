package dev.sluice.scheduler;

import dev.sluice.api.delivery.RecipientNotice;
import dev.sluice.api.queue.QueuedMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * One pass over a due message: its destination parts and then their batches. The DSN waits for the end of
 * the round so that one notification covers every recipient that failed in it.
 */
final class Round {

    private int outstanding;
    /** Created on first use: a million messages can be in rounds at once after an outage. */
    private List<RecipientNotice> notices;
    private List<RecipientNotice> delays;
    private QueuedMessage message;
    /** Set when an operator deleted the message while it was in flight; applied at the end. */
    private AdminDelete delete;
    private boolean progress;
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

    synchronized void notices(QueuedMessage from, List<RecipientNotice> failed, List<RecipientNotice> delayed) {
        progress = true;
        if (!failed.isEmpty() || !delayed.isEmpty()) {
            // only a DSN needs the message; keeping it otherwise would hold every message in flight twice
            message = from;
        }
        if (!failed.isEmpty()) {
            notices = notices == null ? new ArrayList<>() : notices;
            notices.addAll(failed);
        }
        if (!delayed.isEmpty()) {
            delays = delays == null ? new ArrayList<>() : delays;
            delays.addAll(delayed);
        }
    }

    /** True once some outcome was recorded in this round. */
    synchronized boolean progress() {
        return progress;
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
