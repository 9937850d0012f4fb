package dev.sluice.scheduler;

import dev.sluice.api.delivery.DeliveryAgent;
import dev.sluice.api.delivery.DeliveryReport;
import dev.sluice.api.delivery.DeliveryRequest;
import dev.sluice.api.delivery.Outcome;
import dev.sluice.api.delivery.RecipientOutcome;
import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.MessageContent;
import dev.sluice.api.mail.Recipient;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.queue.QueuedRecipient;
import dev.sluice.scheduler.Recorder.Result;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a batch: content, pre-delivery filters, the delivery agent; then records the outcome. Tracks what is
 * in flight per agent so that an agent that goes away leaves its recipients deferred, not lost.
 */
final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    static final Reply AGENT_GONE = Reply.of(451, "4.3.0", "Delivery agent stopped before the outcome was known");
    static final Reply NO_AGENT = Reply.of(451, "4.3.0", "No delivery agent available");

    private final Engine engine;
    private final FilterChain filters;
    private final Preparer preparer;
    private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();

    /** A request handed to an agent; whoever claims it first (the agent's answer or its departure) records it. */
    private record InFlight(DeliveryAgent agent, Work work, List<QueuedRecipient> batch, AtomicBoolean claimed) {
        boolean claim() {
            return claimed.compareAndSet(false, true);
        }
    }

    Dispatcher(Engine engine, FilterChain filters) {
        this.engine = engine;
        this.filters = filters;
        this.preparer = new Preparer(engine);
    }

    /** Loads the message and batches its due recipients of {@code domain}; null when nothing is to be sent. */
    Work prepare(Entry entry, String domain, dev.sluice.api.routing.Route route) {
        return preparer.prepare(entry, domain, route);
    }

    /** Sends one batch; the path slot is already reserved and is released when the outcome is recorded. */
    void dispatch(Work work, List<QueuedRecipient> batch) {
        List<Recipient> recipients = batch.stream().map(QueuedRecipient::recipient).toList();
        var envelope = work.message.envelope().withRecipients(recipients);
        MessageContent content = work.stored.content();
        if (content == null) {
            finish(work, batch, uniform(batch, Outcome.DEFERRED, Reply.of(451, "4.3.0", "Queue read error"),
                    "local"), null, null);
            return;
        }
        // The header block is read once per message and destination (perhaps already, for the tenant key), for the
        // filters and for the Message-ID of the delivery events (rather than from the queue again when the outcome
        // is recorded).
        boolean listeners = engine.services.hasListeners();
        Headers headers = filters.active() || listeners ? work.stored.headers() : null;
        if (listeners) {
            work.entry.round.messageId(() -> headers == null ? null : Recorder.messageId(headers));
        }
        CompletableFuture<FilterChain.Result> verdicts = filters.run(work.message.id(), envelope, content, headers)
                .toCompletableFuture();
        if (verdicts.isDone() && !verdicts.isCompletedExceptionally()) {
            // no filter to wait for (the usual case): already on a worker, so no hand-off to another one
            act(work, batch, envelope, verdicts.join());
        } else {
            verdicts.whenComplete((verdict, failure) -> engine.execute(() -> act(work, batch, envelope, verdict)));
        }
    }

    /** Acts on the filters' verdict for a batch (null when they failed: deferred). */
    private void act(Work work, List<QueuedRecipient> batch, Envelope envelope, FilterChain.Result verdict) {
        if (verdict instanceof FilterChain.Result.Deliver d) {
            deliver(work, batch, new DeliveryRequest(work.message.id(), envelope, d.content(), work.route,
                    work.source, work.egress(), attemptNumber(batch)));
        } else if (verdict instanceof FilterChain.Result.Bounce b) {
            finish(work, batch, uniform(batch, Outcome.BOUNCED, b.reply(), "filter"), null, null);
        } else if (verdict instanceof FilterChain.Result.Drop drop) {
            LOG.info("Pre-delivery filter {} discarded {} for {} recipient(s) of {}", drop.filter(),
                    work.message.id(), batch.size(), work.route.destination());
            finish(work, batch, uniform(batch, Outcome.DELIVERED,
                    Reply.of(250, "2.0.0", "Discarded by filter " + drop.filter()), "filter"), null, null);
        } else {
            Reply reply = verdict instanceof FilterChain.Result.Defer t ? t.reply()
                    : Reply.of(451, "4.3.0", "Pre-delivery check failed");
            finish(work, batch, uniform(batch, Outcome.DEFERRED, reply, "filter"), null, null);
        }
    }

    /**
     * Waits until every delivery handed to an agent has reported, at most {@code max}: a scheduler that stops
     * (is updated) records what its deliveries did instead of leaving them to be sent again. True when none is left.
     */
    boolean awaitInFlight(java.time.Duration max) {
        long start = System.nanoTime();
        long deadline = start + max.toNanos();
        int waitingFor = inFlight.size();
        while (!inFlight.isEmpty()) {
            if (System.nanoTime() > deadline) {
                LOG.warn("Scheduler stopping with {} deliveries still unanswered; their recipients will be tried again",
                        inFlight.size());
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }
        if (waitingFor > 0) {
            LOG.info("Scheduler stopping: {} deliveries under way reported within {} ms", waitingFor,
                    (System.nanoTime() - start) / 1_000_000);
        }
        return true;
    }

    /** Every request the agent had not answered is recorded as deferred and due again at once. */
    void agentGone(DeliveryAgent agent) {
        for (InFlight f : inFlight) {
            if (f.agent() == agent && f.claim()) {
                inFlight.remove(f);
                LOG.warn("Delivery agent went away with {} in flight to {}; its recipients stay deferred",
                        f.work().message.id(), f.work().route.destination());
                engine.execute(() -> finish(f.work(), f.batch(), uniform(f.batch(), Outcome.DEFERRED, AGENT_GONE,
                        "local"), null, engine.clock.instant()));
            }
        }
    }

    private void deliver(Work work, List<QueuedRecipient> batch, DeliveryRequest request) {
        DeliveryAgent agent = engine.services.agent.get();
        if (agent == null) {
            finish(work, batch, uniform(batch, Outcome.DEFERRED, NO_AGENT, "local"), null, engine.clock.instant());
            return;
        }
        InFlight f = new InFlight(agent, work, batch, new AtomicBoolean());
        inFlight.add(f);
        long start = System.nanoTime();
        try {
            agent.deliver(request).whenComplete((report, failure) -> {
                engine.services.timings().attempt().since(start);
                engine.execute(() -> completed(f, report, failure));
            });
        } catch (RuntimeException e) {
            completed(f, null, e);
        }
    }

    private void completed(InFlight f, DeliveryReport report, Throwable failure) {
        if (!f.claim()) {
            LOG.info("Late outcome for {} ignored: it was already recorded as deferred", f.work().message.id());
            return;
        }
        inFlight.remove(f);
        if (failure != null || report == null) {
            LOG.warn("Delivery agent failed on {}", f.work().message.id(), failure);
            finish(f.work(), f.batch(), uniform(f.batch(), Outcome.DEFERRED,
                    Reply.of(451, "4.3.0", "Delivery agent error"), "local"), null, null);
            return;
        }
        finish(f.work(), f.batch(), results(f.batch(), report.outcomes()), report.tlsProtocol(), null);
    }

    private void finish(Work work, List<QueuedRecipient> batch, List<Result> results, String tls, Instant retryAt) {
        try {
            engine.recorder.record(work.message, batch, results, tls, retryAt, work.entry.round);
        } finally {
            // the path's slot is free only once the outcome is stored: a crash can then repeat at most
            // maxConnections deliveries per path, however far the disk lags behind the network
            engine.releasePath(work.egress());
            engine.partDone(work.entry);
        }
    }

    /** Matches outcomes to the batch by position; a missing one counts as deferred. */
    private static List<Result> results(List<QueuedRecipient> batch, List<RecipientOutcome> outcomes) {
        List<Result> results = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            RecipientOutcome o = i < outcomes.size() ? outcomes.get(i) : null;
            results.add(o == null ? new Result(Outcome.DEFERRED, Reply.of(451, "4.3.0", "No outcome reported"),
                    "local") : new Result(o.outcome(), o.reply(), o.remoteHost()));
        }
        return results;
    }

    static List<Result> uniform(List<QueuedRecipient> batch, Outcome outcome, Reply reply, String where) {
        return Collections.nCopies(batch.size(), new Result(outcome, reply, where));
    }

    private static int attemptNumber(List<QueuedRecipient> batch) {
        return 1 + batch.stream().mapToInt(r -> r.attempts().size()).max().orElse(0);
    }
}
