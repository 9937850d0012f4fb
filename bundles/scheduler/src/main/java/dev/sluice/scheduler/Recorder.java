package dev.sluice.scheduler;

import dev.sluice.api.delivery.BounceClassifier;
import dev.sluice.api.delivery.BounceService;
import dev.sluice.api.delivery.DsnAction;
import dev.sluice.api.delivery.Outcome;
import dev.sluice.api.delivery.RecipientNotice;
import dev.sluice.api.event.DeliveryEvent;
import dev.sluice.api.event.DeliveryEvent.Kind;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.queue.Attempt;
import dev.sluice.api.queue.MailQueue;
import dev.sluice.api.queue.QueueException;
import dev.sluice.api.queue.QueuedMessage;
import dev.sluice.api.queue.QueuedRecipient;
import dev.sluice.api.queue.RecipientStatus;
import dev.sluice.api.queue.RecipientUpdate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records outcomes in the order the guarantees need: the queue first (durable), then the delivery events,
 * then (at the end of the round) the DSN. If the queue cannot record, nothing is told to anyone and the
 * recipients keep their stored state, so they are tried again.
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
     * recipients (the attempt's outcome is unknown, so they are due again at once).
     *
     * @return false when the queue refused the update; nothing was published then
     */
    boolean record(QueuedMessage msg, List<QueuedRecipient> batch, List<Result> results, String tls,
                   Instant retryAt, Round round) {
        Instant now = clock.instant();
        Instant queuedAt = msg.envelope().receivedAt();
        List<RecipientUpdate> updates = new ArrayList<>(batch.size());
        List<DeliveryEvent> events = new ArrayList<>(batch.size());
        List<RecipientNotice> failed = new ArrayList<>();
        List<RecipientNotice> delayed = new ArrayList<>();
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
            updates.add(new RecipientUpdate(r.index(), status, next, attempt));
            events.add(event(kindOf(status), now, msg, r, res.remoteHost(), tls, reply, number));
            if (status == RecipientStatus.BOUNCED || status == RecipientStatus.EXPIRED) {
                failed.add(new RecipientNotice(r.recipient(), DsnAction.FAILED, reply, host(res.remoteHost()), now));
            } else if (status == RecipientStatus.DEFERRED && policy.warnNow(queuedAt, lastAttempt(r), now)) {
                delayed.add(new RecipientNotice(r.recipient(), DsnAction.DELAYED, reply, host(res.remoteHost()), now));
            }
        }
        MailQueue queue = services.queue.get();
        try {
            if (queue == null) {
                throw QueueException.ioError("no queue service", null);
            }
            queue.update(msg.id(), updates);
        } catch (QueueException | RuntimeException e) {
            LOG.error("Cannot record the outcome of {} for {} recipients; they stay as stored and are retried",
                    msg.id(), batch.size(), e);
            return false;
        }
        events.forEach(services::publish);
        round.notices(msg, failed, delayed);
        return true;
    }

    /** Sends the round's DSN (failures and delay warnings of one message together), after everything is recorded. */
    void notifyRound(Round round) {
        List<RecipientNotice> notices = new ArrayList<>(round.failures());
        List<RecipientNotice> delays = round.delays();
        notices.addAll(delays);
        if (notices.isEmpty() || round.message() == null) {
            return;
        }
        QueuedMessage msg = round.message();
        BounceService bounces = services.bounces.get();
        if (bounces == null) {
            LOG.warn("No bounce service: no DSN for {} ({} failed, {} delayed recipients)", msg.id(),
                    notices.size() - delays.size(), delays.size());
            return;
        }
        try {
            bounces.notify(msg, notices);
        } catch (QueueException | RuntimeException e) {
            LOG.error("DSN for {} could not be queued ({} recipients)", msg.id(), notices.size(), e);
            return;
        }
        Instant now = clock.instant();
        for (RecipientNotice n : delays) {
            msg.recipients().stream().filter(r -> r.recipient().equals(n.recipient())).findFirst().ifPresent(r ->
                    services.publish(event(Kind.DELAY_NOTIFIED, now, msg, r, n.remoteMta(), null, n.reply(),
                            r.attempts().size() + 1)));
        }
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
        if (record(msg, victims, results, null, null, round)) {
            LOG.info("{} recipient(s) of {} deleted by an operator ({})", victims.size(), msg.id(),
                    delete.bounce() ? "sender notified" : "silently");
            if (delete.bounce()) {
                notifyRound(round);
            }
        }
    }

    private DeliveryEvent event(Kind kind, Instant at, QueuedMessage msg, QueuedRecipient r, String remote,
                                String tls, Reply reply, int attempt) {
        BounceClassifier classifier = services.classifier.get();
        String classification = kind == Kind.DELIVERED || classifier == null ? null
                : classifier.classify(reply).label();
        return new DeliveryEvent(kind, at, msg.id(), null, msg.envelope().sender().toString(),
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
