package dev.sluice.delivery.smtp;

import dev.sluice.api.ratelimit.ConnectionPermit;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Finds a session for one hop: an idle pooled one that still answers RSET (checked in front of the next
 * transaction when the server pipelines), else a new one under a connection permit from the traffic shaper,
 * waiting for {@code nextOpportunity} up to {@code permitWait}.
 */
final class Connections {
    private static final Duration MIN_RETRY = Duration.ofMillis(10);
    /**
     * The shaper's next opportunity is a forecast: a resume (here or on another node) or a freed slot can make it
     * earlier without telling anyone, so a waiting delivery asks again at least this often.
     */
    static final Duration MAX_RETRY = Duration.ofSeconds(1);

    private final ClientRuntime rt;
    private final PoolKey key;
    private final Instant deadline;

    Connections(ClientRuntime rt, PoolKey key) {
        this.rt = rt;
        this.key = key;
        this.deadline = Instant.now().plus(rt.settings.permitWait());
    }

    CompletableFuture<SmtpConnection> obtain() {
        SmtpConnection idle = rt.pool.take(key);
        if (idle == null) {
            return permit().thenCompose(p -> SessionOpener.open(rt, key, p));
        }
        if (rt.settings.pipelining() && idle.caps.pipelining()) {
            // RSET goes first in the next transaction's pipeline (RFC 2920 allows it anywhere in a group): the
            // same check without a round trip of its own; a stale session ends that transaction as Stale.
            idle.resetFirst = true;
            return CompletableFuture.completedFuture(idle);
        }
        return idle.command("RSET", rt.settings.commandTimeout()).handle((reply, e) -> {
            if (e == null && reply.code() == 250) {
                return CompletableFuture.completedFuture(idle);
            }
            // A stale pooled session is not the hop's fault: close it and carry on with the next one.
            idle.quit();
            return obtain();
        }).thenCompose(f -> f);
    }

    /**
     * A pooled session did not answer the RSET in front of a transaction with 250: nothing of the transaction
     * can have been taken (the content follows a 354 only), so the delivery just takes another session.
     */
    static final class Stale extends RuntimeException {
        Stale() {
            super("pooled session no longer usable", null, false, false);
        }
    }

    private CompletableFuture<ConnectionPermit> permit() {
        CompletableFuture<ConnectionPermit> result = new CompletableFuture<>();
        attempt(result);
        return result;
    }

    private void attempt(CompletableFuture<ConnectionPermit> result) {
        try {
            Optional<ConnectionPermit> permit = rt.shaper.tryOpenConnection(key.path());
            if (permit.isPresent()) {
                result.complete(permit.get());
                return;
            }
            // Our own idle sessions on the path (to other hops) may be what holds the slots.
            CompletableFuture<Void> freed = rt.pool.evictOne(key.path());
            if (freed != null) {
                freed.whenComplete((v, e) -> rt.execute(() -> attempt(result)));
                return;
            }
            Instant now = Instant.now();
            if (!now.isBefore(deadline)) {
                result.completeExceptionally(SmtpFailure.attempt(451, "4.4.5", "no connection slot for "
                        + key.path() + " within " + rt.settings.permitWait().toSeconds() + "s"));
                return;
            }
            Duration wait = Duration.between(now, rt.shaper.nextOpportunity(key.path()));
            Duration left = Duration.between(now, deadline);
            wait = wait.compareTo(MIN_RETRY) < 0 ? MIN_RETRY : wait.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait;
            wait = wait.compareTo(left) > 0 ? left : wait;
            if (rt.schedule(() -> attempt(result), wait) == null) {
                result.completeExceptionally(SmtpFailure.attempt(451, "4.3.2", "SMTP delivery is stopping"));
            }
        } catch (RuntimeException e) {
            result.completeExceptionally(SmtpFailure.attempt(451, "4.3.0", "traffic shaper failed: " + e));
        }
    }
}
