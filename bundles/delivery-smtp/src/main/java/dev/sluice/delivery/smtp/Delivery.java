package dev.sluice.delivery.smtp;

import dev.sluice.api.delivery.DeliveryReport;
import dev.sluice.api.delivery.DeliveryRequest;
import dev.sluice.api.delivery.RecipientOutcome;
import dev.sluice.api.mail.Recipient;
import dev.sluice.api.mail.Reply;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link DeliveryRequest}: tries the route's hops in order until every recipient has an outcome. The
 * returned stage always completes normally; whatever goes wrong ends as DEFERRED with a local 4xx reply.
 */
final class Delivery {
    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);

    private final DeliveryRequest request;
    private final ClientRuntime rt;
    private final List<Recipient> recipients;
    private final RecipientOutcome[] outcomes;
    private final CompletableFuture<DeliveryReport> result = new CompletableFuture<>();
    private volatile String tlsProtocol;
    private volatile SmtpFailure last;

    Delivery(DeliveryRequest request, ClientRuntime rt) {
        this.request = request;
        this.rt = rt;
        this.recipients = request.envelope().recipients();
        this.outcomes = new RecipientOutcome[recipients.size()];
    }

    CompletionStage<DeliveryReport> start() {
        if (rt.isClosed()) {
            finish(SmtpFailure.attempt(451, "4.3.2", "SMTP delivery is stopping"));
        } else {
            rt.execute(() -> guarded(() -> tryHop(0)));
        }
        return result;
    }

    DeliveryRequest request() {
        return request;
    }

    Recipient recipient(int i) {
        return recipients.get(i);
    }

    synchronized void record(int i, Reply reply, SmtpConnection conn) {
        outcomes[i] = new RecipientOutcome(recipients.get(i), RecipientOutcome.outcomeOf(reply), reply,
                conn == null ? null : conn.remoteHost);
    }

    void usedTls(String protocol) {
        tlsProtocol = protocol;
    }

    private void tryHop(int index) {
        var hops = request.route().hops();
        if (open().isEmpty() || index >= hops.size()) {
            finish(last);
            return;
        }
        PoolKey key = new PoolKey(request.path(), hops.get(index), request.source());
        new Connections(rt, key).obtain()
                .thenCompose(conn -> transactions(conn).whenComplete((v, e) -> {
                    if (e == null) {
                        rt.pool.release(conn);
                    } else {
                        conn.fail(SmtpFailure.of(e, conn.where));
                    }
                }))
                .whenComplete((v, e) -> guarded(() -> {
                    if (e == null) {
                        finish(null);
                        return;
                    }
                    if (stale(e)) {
                        tryHop(index); // a dead pooled session is not the hop's fault: take another one
                        return;
                    }
                    SmtpFailure f = SmtpFailure.of(e, key.hop().toString());
                    if (!f.remote) {
                        report(f.reply);
                    }
                    last = f;
                    LOG.debug("{} via {}: {}", request.queueId(), key.hop(), f.reply);
                    if (f.nextHop) {
                        tryHop(index + 1);
                    } else {
                        finish(f);
                    }
                }));
    }

    /** The open recipients in batches of the transaction limit, one MAIL transaction after the other. */
    private CompletableFuture<Void> transactions(SmtpConnection conn) {
        int max = Math.min(rt.settings.maxRecipientsPerTransaction(), limitOfPath());
        List<Integer> open = open();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int from = 0; from < open.size(); from += max) {
            List<Integer> batch = open.subList(from, Math.min(open.size(), from + max));
            boolean first = from == 0;
            chain = chain.thenCompose(v -> first ? new Transaction(conn, this, batch).run()
                    : conn.command("RSET", rt.settings.commandTimeout())
                            .thenCompose(r -> new Transaction(conn, this, batch).run()));
        }
        return chain;
    }

    private int limitOfPath() {
        try {
            return Math.max(1, rt.shaper.limits(request.path()).maxRecipientsPerTransaction());
        } catch (RuntimeException e) {
            return 1;
        }
    }

    private synchronized List<Integer> open() {
        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == null) {
                open.add(i);
            }
        }
        return open;
    }

    private static boolean stale(Throwable e) {
        Throwable c = e;
        while (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        return c instanceof Connections.Stale;
    }

    private void report(Reply reply) {
        try {
            rt.shaper.onReply(request.path(), reply);
        } catch (RuntimeException e) {
            LOG.warn("traffic shaper failed on a local reply for {}", request.path(), e);
        }
    }

    /** Completes the report; recipients still open get the failure (or a generic deferral). */
    private void finish(SmtpFailure failure) {
        SmtpFailure f = failure != null ? failure
                : SmtpFailure.attempt(451, "4.3.0", "no outcome for this recipient (internal error)");
        DeliveryReport report;
        synchronized (this) {
            for (int i = 0; i < outcomes.length; i++) {
                if (outcomes[i] == null) {
                    outcomes[i] = new RecipientOutcome(recipients.get(i), RecipientOutcome.outcomeOf(f.reply),
                            f.reply, f.remoteHost);
                }
            }
            report = new DeliveryReport(Arrays.asList(outcomes), tlsProtocol);
        }
        result.complete(report);
    }

    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | Error e) {
            LOG.error("delivery of {} failed unexpectedly", request.queueId(), e);
            finish(SmtpFailure.attempt(451, "4.3.0", "internal error in SMTP delivery: " + e));
        }
    }
}
