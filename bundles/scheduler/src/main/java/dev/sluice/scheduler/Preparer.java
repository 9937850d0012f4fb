package dev.sluice.scheduler;

import dev.sluice.api.delivery.Outcome;
import dev.sluice.api.mail.HeaderField;
import dev.sluice.api.queue.MailQueue;
import dev.sluice.api.queue.QueueException;
import dev.sluice.api.queue.QueuedMessage;
import dev.sluice.api.queue.QueuedRecipient;
import dev.sluice.api.ratelimit.EgressSource;
import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.ratelimit.TrafficShaper;
import dev.sluice.api.routing.Route;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a due entry and a destination into batches for one egress path, or settles it when routing failed. */
final class Preparer {

    private static final Logger LOG = LoggerFactory.getLogger(Preparer.class);

    private final Engine engine;

    Preparer(Engine engine) {
        this.engine = engine;
    }

    /** Null when there is nothing to send; the part is then already accounted as done. */
    Work prepare(Entry entry, String domain, Route route) {
        QueuedMessage msg = load(entry);
        Instant now = engine.clock.instant();
        List<QueuedRecipient> due = msg == null || msg.held() ? List.of() : msg.recipients().stream()
                .filter(r -> !r.status().isFinal() && r.recipient().address().asciiDomain().equals(domain))
                .filter(r -> entry.round.forced || !r.nextAttempt().isAfter(now))
                .toList();
        if (due.isEmpty()) {
            engine.partDone(entry);
            return null;
        }
        if (route instanceof Route.Failure failure) {
            Outcome outcome = failure.reply().isPermanent() ? Outcome.BOUNCED : Outcome.DEFERRED;
            try {
                engine.recorder.record(msg, due, Dispatcher.uniform(due, outcome, failure.reply(), "dns"), null,
                        null, entry.round);
            } finally {
                engine.partDone(entry);
            }
            return null;
        }
        Route.Hops hops = (Route.Hops) route;
        TrafficShaper shaper = engine.services.shaper.get();
        try {
            EgressSource source = shaper.chooseSource(hops.site(), msg.envelope());
            StoredContent stored = new StoredContent(msg.id(), engine.services.queue::get);
            PathKey path = shaper.path(hops.site(), source, msg.envelope(), tenantFields(shaper, stored));
            int size = shaper.limits(path).maxRecipientsPerTransaction();
            List<List<QueuedRecipient>> batches = new ArrayList<>();
            for (int i = 0; i < due.size(); i += size) {
                batches.add(due.subList(i, Math.min(due.size(), i + size)));
            }
            entry.round.split(batches.size());
            return new Work(entry, msg, hops, source, path, batches, stored);
        } catch (RuntimeException e) {
            // a missing or failing shaper: the round ends without progress and is retried later
            LOG.warn("Traffic shaper could not place {} to {}", msg.id(), domain, e);
            engine.partDone(entry);
            return null;
        }
    }

    /**
     * The header fields the shaper takes a tenant key from: the header block is read here only if it wants one, and
     * then serves the filters and the events as well.
     */
    private static List<HeaderField> tenantFields(TrafficShaper shaper, StoredContent stored) {
        if (shaper.tenantHeaders().isEmpty()) {
            return List.of();
        }
        Headers headers = stored.headers();
        return headers == null ? List.of() : headers.parsed();
    }

    private QueuedMessage load(Entry entry) {
        MailQueue queue = engine.services.queue.get();
        try {
            Optional<QueuedMessage> msg = queue == null ? Optional.empty() : queue.get(entry.queueId());
            return msg.orElse(null);
        } catch (QueueException | RuntimeException e) {
            LOG.warn("Cannot load {} from the queue", entry.id(), e);
            return null;
        }
    }
}
