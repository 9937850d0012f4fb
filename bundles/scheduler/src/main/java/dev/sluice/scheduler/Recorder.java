package dev.sluice.scheduler;

import dev.sluice.api.delivery.BounceClassifier;
import dev.sluice.api.delivery.BounceService;
import dev.sluice.api.delivery.DsnAction;
import dev.sluice.api.delivery.Outcome;
import dev.sluice.api.delivery.RecipientNotice;
import dev.sluice.api.event.DeliveryEvent;
import dev.sluice.api.event.DeliveryEvent.Kind;
import dev.sluice.api.mail.MessageContent;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.metrics.Timer;
import dev.sluice.api.queue.Attempt;
import dev.sluice.api.queue.MailQueue;
import dev.sluice.api.queue.QueueException;
import dev.sluice.api.queue.QueuedMessage;
import dev.sluice.api.queue.QueuedRecipient;
import dev.sluice.api.queue.RecipientStatus;
import dev.sluice.api.queue.RecipientUpdate;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records outcomes in the order the guarantees need: the queue first (durable), then the delivery events.
 * Failed recipients wait for the end of the round: their DSN is queued first, then their final state is
 * recorded and published. If the queue cannot record, nothing is told to anyone and the recipients keep
 * their stored state, so they are tried again.
 */
final class Recorder {

    private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);

    /** One recipient's result; {@code remoteHost} as {@code name[address]} or a word such as {@code dns}. */
    record Result(Outcome outcome, Reply reply, String remoteHost) {
    }

    static final Reply DELETED = Reply.of(550, "5.0.0", "Deleted by the queue administrator");

    private final Clock clock;
    private final RetryPolicy policy;
    private final Services services;

    Recorder(Clock clock, RetryPolicy policy, Services services) {
        this.clock = clock;
        this.policy = policy;
        this.services = services;
    }

    /**
     * Records one attempt for a batch. {@code retryAt}, when not null, replaces the backoff for deferred
     * recipients (the attempt's outcome is unknown, so they are due again at once). Bounced and expired
     * recipients are only noted in the round: {@link #finish} queues their DSN and then records them.
     *
     * @return false when the queue refused the update; nothing was published then
     */
    boolean record(QueuedMessage msg, List<QueuedRecipient> batch, List<Result> results, String tls,
                   Instant retryAt, Round round) {
        Instant now = clock.instant();
        Instant queuedAt = msg.envelope().receivedAt();
        String messageId = services.hasListeners() ? round.messageId(() -> messageId(msg)) : null;
        List<RecipientUpdate> updates = new ArrayList<>(batch.size());
        List<DeliveryEvent> events = new ArrayList<>(batch.size());
        List<RecipientUpdate> finalUpdates = new ArrayList<>();
        List<DeliveryEvent> finalEvents = new ArrayList<>();
        List<RecipientNotice> failed = new ArrayList<>();
        List<RecipientNotice> delayed = new ArrayList<>();
        int delivered = 0;
        for (int i = 0; i < batch.size(); i++) {
            QueuedRecipient r = batch.get(i);
            Result res = results.get(i);
            Attempt attempt = new Attempt(now, res.remoteHost() == null ? "none" : res.remoteHost(), res.reply());
            int number = r.attempts().size() + 1;
            RecipientStatus status = switch (res.outcome()) {
                case DELIVERED -> RecipientStatus.DELIVERED;
                case BOUNCED -> RecipientStatus.BOUNCED;
                case DEFERRED -> policy.expired(queuedAt, now) ? RecipientStatus.EXPIRED : RecipientStatus.DEFERRED;
            };
            Reply reply = status == RecipientStatus.EXPIRED ? expired(res.reply()) : res.reply();
            Instant next = status != RecipientStatus.DEFERRED ? now
                    : retryAt != null ? retryAt : policy.nextAttempt(queuedAt, now, number);
            RecipientUpdate update = new RecipientUpdate(r.index(), status, next, attempt);
            DeliveryEvent event = event(kindOf(status), now, msg, messageId, r, res.remoteHost(), tls, reply, number);
            if (status == RecipientStatus.BOUNCED || status == RecipientStatus.EXPIRED) {
                finalUpdates.add(update);
                finalEvents.add(event);
                failed.add(new RecipientNotice(r.recipient(), DsnAction.FAILED, reply, host(res.remoteHost()), now));
                continue;
            }
            updates.add(update);
            events.add(event);
            delivered += status == RecipientStatus.DELIVERED ? 1 : 0;
            if (status == RecipientStatus.DEFERRED && policy.warnNow(queuedAt, lastAttempt(r), now)) {
                delayed.add(new RecipientNotice(r.recipient(), DsnAction.DELAYED, reply, host(res.remoteHost()), now));
            }
        }
        if (!updates.isEmpty() && !write(msg, updates)) {
            return false;
        }
        round.settled(msg, updates);
        events.forEach(services::publish);
        if (delivered > 0) {
            long latency = Math.max(0, Duration.between(queuedAt, now).toNanos());
            Timer timer = services.timings().deliveryLatency();
            for (int i = 0; i < delivered; i++) {
                timer.record(latency);
            }
        }
        if (!updates.isEmpty()) {
            round.recorded(msg, delayed);
        }
        round.failed(msg, failed, finalUpdates, finalEvents);
        return true;
    }

    /**
     * Ends a round: the DSN (failures and delay warnings of one message together) is queued first, while the
     * original is still in the queue, and only then are the failed recipients recorded as final. A crash in
     * between sends the DSN again after the restart; the other order could lose it.
     *
     * @param sendDsn false for a silent operator delete
     * @return false when the failures could not be settled; they stay as stored and are tried again
     */
    boolean finish(Round round, boolean sendDsn) {
        QueuedMessage msg = round.message();
        if (msg == null) {
            return true;
        }
        String messageId = services.hasListeners() ? round.messageId(() -> messageId(msg)) : null;
        if (sendDsn && !notify(msg, messageId, round.failures(), round.delays())) {
            round.stalled();
            return false;
        }
        List<RecipientUpdate> finals = round.finalUpdates();
        if (finals.isEmpty()) {
            return true;
        }
        if (!write(msg, finals)) {
            round.stalled();
            return false;
        }
        round.settled(msg, finals);
        round.finalEvents().forEach(services::publish);
        round.progressed();
        return true;
    }

    /** @return false when the DSN could not be queued for now (storage); a DSN that cannot be made at all is logged */
    private boolean notify(QueuedMessage msg, String messageId, List<RecipientNotice> failures,
                           List<RecipientNotice> delays) {
        List<RecipientNotice> notices = new ArrayList<>(failures);
        notices.addAll(delays);
        if (notices.isEmpty()) {
            return true;
        }
        BounceService bounces = services.bounces.get();
        if (bounces == null) {
            LOG.warn("No bounce service: no DSN for {} ({} failed, {} delayed recipients)", msg.id(),
                    failures.size(), delays.size());
            return true;
        }
        try {
            bounces.notify(msg, notices);
        } catch (QueueException e) {
            LOG.error("DSN for {} could not be queued ({} recipients); its failed recipients are kept and tried again",
                    msg.id(), notices.size(), e);
            return false;
        } catch (RuntimeException e) {
            // retrying cannot mend a DSN that fails to build: keeping the recipients would loop forever
            LOG.error("DSN for {} failed ({} recipients); the recipients are settled without it", msg.id(),
                    notices.size(), e);
            return true;
        }
        Instant now = clock.instant();
        for (RecipientNotice n : delays) {
            msg.recipients().stream().filter(r -> r.recipient().equals(n.recipient())).findFirst().ifPresent(r ->
                    services.publish(event(Kind.DELAY_NOTIFIED, now, msg, messageId, r, n.remoteMta(), null, n.reply(),
                            r.attempts().size() + 1)));
        }
        return true;
    }

    private boolean write(QueuedMessage msg, List<RecipientUpdate> updates) {
        MailQueue queue = services.queue.get();
        try {
            if (queue == null) {
                throw QueueException.ioError("no queue service", null);
            }
            queue.update(msg.id(), updates);
            return true;
        } catch (QueueException | RuntimeException e) {
            LOG.error("Cannot record the outcome of {} for {} recipients; they stay as stored and are retried",
                    msg.id(), updates.size(), e);
            return false;
        }
    }

    /** The Message-ID header of a queued message, for the log; null when it has none or cannot be read. */
    private String messageId(QueuedMessage msg) {
        MailQueue queue = services.queue.get();
        if (queue == null) {
            return null;
        }
        try {
            return messageId(queue.content(msg.id()));
        } catch (QueueException | RuntimeException e) {
            LOG.debug("Cannot read the Message-ID of {}", msg.id(), e);
            return null;
        }
    }

    /** The Message-ID header in {@code content}; null when it has none or cannot be read. */
    static String messageId(MessageContent content) {
        try {
            return messageId(Headers.read(content));
        } catch (IOException | RuntimeException e) {
            LOG.debug("Cannot read the Message-ID", e);
            return null;
        }
    }

    /** The Message-ID field of a header block; null when it has none. */
    static String messageId(Headers headers) {
        return headers.parsed().stream().filter(f -> f.hasName("Message-ID")).map(f -> f.value().strip())
                .findFirst().orElse(null);
    }

    /**
     * An operator delete: every unfinished recipient (of one destination when the delete named one) is
     * recorded as bounced, logged, and with {@code bounce} its sender gets a DSN.
     */
    void deleteByOperator(QueuedMessage msg, Round.AdminDelete delete) {
        List<QueuedRecipient> victims = msg.recipients().stream().filter(r -> !r.status().isFinal())
                .filter(r -> delete.destination() == null
                        || r.recipient().address().asciiDomain().equalsIgnoreCase(delete.destination()))
                .toList();
        if (victims.isEmpty()) {
            return;
        }
        Round round = new Round(1, false);
        List<Result> results = java.util.Collections.nCopies(victims.size(),
                new Result(Outcome.BOUNCED, DELETED, "local"));
        if (record(msg, victims, results, null, null, round) && finish(round, delete.bounce())) {
            LOG.info("{} recipient(s) of {} deleted by an operator ({})", victims.size(), msg.id(),
                    delete.bounce() ? "sender notified" : "silently");
        }
    }

    private DeliveryEvent event(Kind kind, Instant at, QueuedMessage msg, String messageId, QueuedRecipient r,
                                String remote, String tls, Reply reply, int attempt) {
        BounceClassifier classifier = services.classifier.get();
        String classification = kind == Kind.DELIVERED || classifier == null ? null
                : classifier.classify(reply).label();
        return new DeliveryEvent(kind, at, msg.id(), messageId, msg.envelope().sender().toString(),
                r.recipient().address().toString(), r.recipient().address().asciiDomain(), host(remote),
                address(remote), tls, reply, classification, attempt, msg.size());
    }

    private static Kind kindOf(RecipientStatus status) {
        return switch (status) {
            case DELIVERED -> Kind.DELIVERED;
            case BOUNCED -> Kind.BOUNCED;
            case EXPIRED -> Kind.EXPIRED;
            default -> Kind.DEFERRED;
        };
    }

    static Reply expired(Reply last) {
        return Reply.of(451, "4.4.7", "Delivery time expired; last reply: " + last);
    }

    private static Instant lastAttempt(QueuedRecipient r) {
        return r.attempts().isEmpty() ? null : r.attempts().get(r.attempts().size() - 1).at();
    }

    /** The name part of {@code name[address]}. */
    private static String host(String remote) {
        if (remote == null) {
            return null;
        }
        int bracket = remote.indexOf('[');
        return bracket > 0 ? remote.substring(0, bracket) : remote;
    }

    private static String address(String remote) {
        int open = remote == null ? -1 : remote.indexOf('[');
        int close = remote == null ? -1 : remote.indexOf(']', open + 1);
        return open >= 0 && close > open ? remote.substring(open + 1, close) : null;
    }
}
