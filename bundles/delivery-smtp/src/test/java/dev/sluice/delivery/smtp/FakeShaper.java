package dev.sluice.delivery.smtp;

import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.ratelimit.ConnectionPermit;
import dev.sluice.api.ratelimit.EgressSource;
import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.ratelimit.PathLimits;
import dev.sluice.api.ratelimit.PathStatus;
import dev.sluice.api.ratelimit.Rate;
import dev.sluice.api.ratelimit.Suspension;
import dev.sluice.api.ratelimit.TrafficShaper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A traffic shaper that counts permits and records replies. */
final class FakeShaper implements TrafficShaper {
    volatile PathLimits limits = new PathLimits(1000, Rate.parse("1000/s"), 100, Rate.parse("1000/s"), 100);
    volatile int maxOpen = Integer.MAX_VALUE;
    /** What every permit answers to {@code wanted()}: another node waits for a slot. */
    volatile boolean wanted;
    /** What nextOpportunity forecasts, from now. */
    volatile Duration nextIn = Duration.ofMillis(100);
    /** Calls of tryOpenConnection, granted or not. */
    final AtomicInteger asked = new AtomicInteger();
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger granted = new AtomicInteger();
    final List<Reply> replies = new CopyOnWriteArrayList<>();

    @Override
    public EgressSource chooseSource(String site, Envelope envelope) {
        throw new UnsupportedOperationException();
    }

    @Override
    public PathLimits limits(PathKey path) {
        return limits;
    }

    @Override
    public synchronized Optional<ConnectionPermit> tryOpenConnection(PathKey path) {
        asked.incrementAndGet();
        notifyAll();
        if (open.get() >= maxOpen) {
            return Optional.empty();
        }
        open.incrementAndGet();
        granted.incrementAndGet();
        AtomicBoolean closed = new AtomicBoolean();
        return Optional.of(new ConnectionPermit() {
            @Override
            public PathKey path() {
                return path;
            }

            @Override
            public boolean wanted() {
                return wanted;
            }

            @Override
            public void close() {
                if (closed.compareAndSet(false, true)) {
                    synchronized (FakeShaper.this) {
                        open.decrementAndGet();
                        FakeShaper.this.notifyAll();
                    }
                }
            }
        });
    }

    /** Waits until tryOpenConnection has been called {@code n} times; false on timeout. */
    synchronized boolean awaitAsked(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (asked.get() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Waits until every permit has been closed; false on timeout. */
    synchronized boolean awaitNoneOpen(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (open.get() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    @Override
    public boolean tryAcquireMessage(PathKey path) {
        return true;
    }

    @Override
    public Instant nextOpportunity(PathKey path) {
        return Instant.now().plus(nextIn);
    }

    @Override
    public void onReply(PathKey path, Reply reply) {
        replies.add(reply);
    }

    @Override
    public List<PathStatus> status() {
        return List.of();
    }

    @Override
    public Suspension suspend(String site, Duration duration, String reason) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean resume(String site) {
        return false;
    }

    @Override
    public Optional<Suspension> suspension(PathKey path) {
        return Optional.empty();
    }
}
