package dev.sluice.queue.file;

import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.QueueId;
import dev.sluice.api.queue.Attempt;
import dev.sluice.api.queue.QueuedMessage;
import dev.sluice.api.queue.QueuedRecipient;
import dev.sluice.api.queue.RecipientStatus;
import dev.sluice.api.queue.RecipientUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A message file as read: envelope plus the state its records add up to. Lives only during one call. */
final class MessageState {

    final long queuedAtMillis;
    final Envelope envelope;
    final long contentOffset;
    final long contentLength;
    final RecipientStatus[] status;
    final Instant[] nextAttempt;
    final List<List<Attempt>> attempts;
    boolean held;
    /** End of the last intact record: appends go here, overwriting any torn tail. */
    long validEnd;

    MessageState(long queuedAtMillis, Envelope envelope, long contentOffset, long contentLength) {
        this.queuedAtMillis = queuedAtMillis;
        this.envelope = envelope;
        this.contentOffset = contentOffset;
        this.contentLength = contentLength;
        int n = envelope.recipients().size();
        status = new RecipientStatus[n];
        Arrays.fill(status, RecipientStatus.PENDING);
        nextAttempt = new Instant[n];
        Arrays.fill(nextAttempt, Instant.ofEpochMilli(queuedAtMillis));
        attempts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            attempts.add(new ArrayList<>(0));
        }
    }

    void apply(RecipientUpdate u) {
        if (u.index() >= status.length) {
            throw new IllegalArgumentException("recipient index " + u.index() + " out of range, message has "
                    + status.length + " recipients");
        }
        status[u.index()] = u.status();
        nextAttempt[u.index()] = u.nextAttempt();
        if (u.attempt() != null) {
            attempts.get(u.index()).add(u.attempt());
        }
    }

    boolean isComplete() {
        for (RecipientStatus s : status) {
            if (!s.isFinal()) {
                return false;
            }
        }
        return true;
    }

    QueuedMessage toQueued(QueueId id) {
        List<QueuedRecipient> recipients = new ArrayList<>(status.length);
        for (int i = 0; i < status.length; i++) {
            recipients.add(new QueuedRecipient(i, envelope.recipients().get(i), status[i], nextAttempt[i],
                    attempts.get(i)));
        }
        return new QueuedMessage(id, envelope, contentLength, recipients, held);
    }

    IndexEntry toIndexEntry(long key) {
        long next = Long.MAX_VALUE;
        Set<String> destinations = new LinkedHashSet<>(2);
        for (int i = 0; i < status.length; i++) {
            if (!status[i].isFinal()) {
                next = Math.min(next, nextAttempt[i].toEpochMilli());
                destinations.add(envelope.recipients().get(i).address().asciiDomain());
            }
        }
        String senderDomain = envelope.sender().address().map(a -> a.asciiDomain()).orElse("");
        return IndexEntry.of(key, queuedAtMillis, next == Long.MAX_VALUE ? queuedAtMillis : next, contentLength,
                destinations, senderDomain, held);
    }
}
