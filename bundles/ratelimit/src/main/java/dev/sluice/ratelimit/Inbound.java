package dev.sluice.ratelimit;

import dev.sluice.api.mail.ClientIdentity;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.ratelimit.InboundLimiter;
import dev.sluice.api.ratelimit.Rate;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-client limits: concurrent connections and connection rate per IP, message and recipient rates per
 * authenticated user (else per IP), and a lockout after repeated AUTH failures from one IP. Rates allow a
 * whole period's count at once, as Postfix's anvil does, since clients legitimately send in bursts.
 */
class Inbound implements InboundLimiter {

    private static final Logger LOG = LoggerFactory.getLogger(Inbound.class);

    record Limits(int maxConnectionsPerIp, Rate connectionRatePerIp, Rate messageRatePerClient,
                  Rate recipientRatePerClient, int maxAuthFailures, Duration authFailureWindow,
                  Duration authLockout, Networks exempt) { }

    private final Clock clock;
    private final Limits limits;
    private final LocalRateGate gate = new LocalRateGate();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetAddress, AuthFailures> failures = new ConcurrentHashMap<>();
    private final AtomicInteger failureCalls = new AtomicInteger();

    Inbound(Clock clock, Limits limits) {
        this.clock = clock;
        this.limits = limits;
    }

    @Override
    public Optional<Reply> admitConnection(InetAddress client) {
        if (limits.exempt().contains(client)) {
            return Optional.empty();
        }
        AtomicInteger n = open.computeIfAbsent(client, k -> new AtomicInteger());
        if (n.incrementAndGet() > limits.maxConnectionsPerIp()) {
            release(client);
            return refuse(421, "4.7.0", "Too many concurrent connections from " + client.getHostAddress()
                    + " (limit " + limits.maxConnectionsPerIp() + "); try again later");
        }
        Rate rate = limits.connectionRatePerIp();
        if (!gate.tryTake("conn|" + client.getHostAddress(), rate, rate.permits(), clock.instant())) {
            release(client);
            return refuse(421, "4.7.0", "Too many connections from " + client.getHostAddress() + " (limit "
                    + rate + "); try again later");
        }
        return Optional.empty();
    }

    @Override
    public void disconnected(InetAddress client) {
        if (!limits.exempt().contains(client)) {
            release(client);
        }
    }

    private void release(InetAddress client) {
        open.computeIfPresent(client, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    int openConnections(InetAddress client) {
        AtomicInteger n = open.get(client);
        return n == null ? 0 : n.get();
    }

    @Override
    public Optional<Reply> admitMessage(ClientIdentity client) {
        return admit(client, "msg|", limits.messageRatePerClient(), 450, "4.7.1", "Message");
    }

    @Override
    public Optional<Reply> admitRecipient(ClientIdentity client) {
        return admit(client, "rcpt|", limits.recipientRatePerClient(), 452, "4.5.3", "Recipient");
    }

    private Optional<Reply> admit(ClientIdentity client, String bucket, Rate rate, int code, String status, String what) {
        InetAddress ip = client.remote().getAddress();
        if (ip != null && limits.exempt().contains(ip)) {
            return Optional.empty();
        }
        // an authenticated user has one budget wherever they connect from
        String who = client.isAuthenticated() ? "user " + client.authenticatedUser()
                : ip == null ? client.remote().getHostString() : ip.getHostAddress();
        if (gate.tryTake(bucket + who, rate, rate.permits(), clock.instant())) {
            return Optional.empty();
        }
        return refuse(code, status, what + " rate limit exceeded for " + who + " (limit " + rate + "); try again later");
    }

    @Override
    public Optional<Reply> admitAuthentication(InetAddress client) {
        AuthFailures f = failures.get(client);
        Instant now = clock.instant();
        Instant until = f == null ? null : f.lockedUntil(now);
        if (until == null) {
            return Optional.empty();
        }
        // 454 as RFC 4954 section 6 has it for a temporary AUTH failure: the listener keeps the session open, and a
        // 421 would tell the client the channel is closing when it is not
        return refuse(454, "4.7.0", "Too many failed authentication attempts from " + client.getHostAddress()
                + "; locked out until " + until);
    }

    @Override
    public void authenticationFailed(InetAddress client) {
        Instant now = clock.instant();
        if (failureCalls.incrementAndGet() % 256 == 0) {
            failures.values().removeIf(f -> f.forgettable(now, limits.authFailureWindow()));
        }
        Instant locked = failures.computeIfAbsent(client, k -> new AuthFailures())
                .fail(now, limits.maxAuthFailures(), limits.authFailureWindow(), limits.authLockout());
        if (locked != null) {
            LOG.warn("ratelimit: {} failed AUTH {} times within {}; locked out until {}", client.getHostAddress(),
                    limits.maxAuthFailures(), limits.authFailureWindow(), locked);
        }
    }

    private static Optional<Reply> refuse(int code, String status, String text) {
        return Optional.of(Reply.of(code, status, text));
    }

    /** Failures of one IP; a lockout starts when {@code max} fall within the window. */
    private static final class AuthFailures {
        private final ArrayDeque<Instant> times = new ArrayDeque<>();
        private Instant lockedUntil = Instant.MIN;

        synchronized Instant fail(Instant now, int max, Duration window, Duration lockout) {
            times.addLast(now);
            while (!times.isEmpty() && !times.peekFirst().isAfter(now.minus(window))) {
                times.pollFirst();
            }
            if (times.size() >= max && !now.isBefore(lockedUntil)) {
                times.clear();
                lockedUntil = now.plus(lockout);
                return lockedUntil;
            }
            return null;
        }

        synchronized Instant lockedUntil(Instant now) {
            return now.isBefore(lockedUntil) ? lockedUntil : null;
        }

        synchronized boolean forgettable(Instant now, Duration window) {
            return !now.isBefore(lockedUntil) && (times.isEmpty() || !times.peekLast().isAfter(now.minus(window)));
        }
    }
}
