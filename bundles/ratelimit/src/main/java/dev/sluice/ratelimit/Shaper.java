package dev.sluice.ratelimit;

import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.HeaderField;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.ratelimit.ConnectionPermit;
import dev.sluice.api.ratelimit.EgressSource;
import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.ratelimit.PathLimits;
import dev.sluice.api.ratelimit.PathStatus;
import dev.sluice.api.ratelimit.Rate;
import dev.sluice.api.ratelimit.Suspension;
import dev.sluice.api.ratelimit.TenantBudgetStatus;
import dev.sluice.api.ratelimit.TrafficShaper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The traffic shaper itself, free of OSGi so that tests drive it with their own clock and gate. */
class Shaper implements TrafficShaper {

    private static final Logger LOG = LoggerFactory.getLogger(Shaper.class);
    private static final int SWEEP_EVERY = 8192;
    private static final Duration IDLE = Duration.ofMinutes(15);
    /**
     * How soon to ask again when every connection slot is taken: a slot frees when a connection ends (here, or on
     * another node, whose idle connections give way within about a second when asked to).
     */
    static final Duration SLOT_POLL = Duration.ofMillis(250);

    private final Clock clock;
    private volatile RateGate gate;
    private final SourceSelector sources;
    private final Backoff backoff;
    private final ConcurrentHashMap<PathKey, PathState> paths = new ConcurrentHashMap<>();
    private volatile RuleBook book;
    private final TenantBudgets tenantBudgets = new TenantBudgets();
    private volatile TenantKeys tenantKeys = TenantKeys.NONE;

    Shaper(Clock clock, RateGate gate, RuleBook book, SourceSelector sources, Backoff backoff) {
        this.clock = clock;
        this.gate = gate;
        this.book = book;
        this.sources = sources;
        this.backoff = backoff;
        backoff.shared().setGate(gate);
        gate.onShared(this::sharedAgain);
    }

    final void setRules(RuleBook book) {
        this.book = book;
    }

    final void setTenants(TenantBook tenants) {
        tenantBudgets.setBook(tenants);
    }

    final void setTenantKeys(TenantKeys keys) {
        this.tenantKeys = keys;
    }

    /** Replaces where buckets live and returns the old gate for the caller to close. */
    final RateGate setGate(RateGate next) {
        RateGate old = gate;
        gate = next;
        backoff.shared().setGate(next);
        next.onShared(this::sharedAgain);
        return old;
    }

    final Clock clock() {
        return clock;
    }

    final SourceSelector sources() {
        return sources;
    }

    final Backoff backoff() {
        return backoff;
    }

    @Override
    public EgressSource chooseSource(String site, Envelope envelope) {
        String senderDomain = envelope == null ? null
                : envelope.sender().address().map(a -> a.asciiDomain()).orElse(null);
        return sources.choose(site, book.resolve(site, null).pool(), senderDomain, clock.instant(), gate);
    }

    @Override
    public Set<String> tenantHeaders() {
        return tenantKeys.headers();
    }

    @Override
    public PathKey path(String site, EgressSource source, Envelope envelope, List<HeaderField> headers) {
        TenantKeys keys = tenantKeys;
        return new PathKey(site, source.name(), keys.none() ? null : keys.tenantOf(envelope, headers));
    }

    @Override
    public PathLimits limits(PathKey path) {
        return effective(state(path), clock.instant());
    }

    @Override
    public Optional<ConnectionPermit> tryOpenConnection(PathKey path) {
        Instant now = clock.instant();
        PathState s = state(path);
        PathLimits limits = effective(s, now);
        if (blockedUntil(s, now) != null) {
            return Optional.empty();
        }
        RateGate g = gate;
        int mine = g.localShare(s.connectionBucket, limits.maxConnections(), now);
        int n;
        do {
            n = s.open.get();
            if (n >= mine) {
                return Optional.empty();
            }
        } while (!s.open.compareAndSet(n, n + 1));
        // the slot before the rate token: at the concurrency limit no token is wasted
        String lease = g.acquireSlot(s.connectionBucket, limits.maxConnections(), now);
        // "" = not shared; re-check, as this very call may have found Redis gone and the share smaller
        if (lease == null || lease.isEmpty() && n >= g.localShare(s.connectionBucket, limits.maxConnections(), now)) {
            s.open.decrementAndGet();
            return Optional.empty();
        }
        Rate rate = limits.connectionRate();
        if (!g.tryTake(s.connectionBucket, rate, RateGate.secondBurst(rate), now)) {
            s.open.decrementAndGet();
            g.releaseSlot(s.connectionBucket, lease);
            return Optional.empty();
        }
        Permit permit = new Permit(s, g, lease, clock);
        if (lease.isEmpty() && g.distributed()) {
            s.unleased.add(permit);
        }
        return Optional.of(permit);
    }

    /** Redis is back (perhaps empty, after a restart): what this node did meanwhile enters the shared counts. */
    private void sharedAgain() {
        adoptUnleased();
        sources.restore(gate, clock.instant());
    }

    /**
     * The connections this node opened while Redis was away enter the shared count, so that the nodes do not open
     * the whole limit again on top of them.
     */
    private void adoptUnleased() {
        RateGate g = gate;
        Instant now = clock.instant();
        int adopted = 0;
        for (PathState s : paths.values()) {
            for (Permit p : s.unleased) {
                if (p.gate() != g) {
                    continue;
                }
                String lease = g.adoptSlot(s.connectionBucket, now);
                if (lease.isEmpty()) {
                    return; // gone again; the next return adopts them
                }
                if (p.adopt(lease)) {
                    adopted++;
                } else {
                    g.releaseSlot(s.connectionBucket, lease);
                }
                s.unleased.remove(p);
            }
        }
        if (adopted > 0) {
            LOG.warn("ratelimit: {} connection(s) opened while Redis was unreachable now count in the shared limits",
                    adopted);
        }
    }

    @Override
    public boolean tryAcquireMessage(PathKey path) {
        Instant now = clock.instant();
        PathState s = state(path);
        PathLimits limits = effective(s, now);
        return blockedUntil(s, now) == null && takeMessage(s, path, limits, now);
    }

    @Override
    public boolean tryAcquireMessage(PathKey path, int underWay) {
        Instant now = clock.instant();
        PathState s = state(path);
        PathLimits limits = effective(s, now);
        if (blockedUntil(s, now) != null) {
            return false;
        }
        // when every connection of this node carries a delivery, this message needs a new one
        Instant wait = s.open.get() <= underWay ? newConnectionWait(s, limits, now) : null;
        s.connectionWait = wait;
        return wait == null && takeMessage(s, path, limits, now);
    }

    /**
     * When a new connection might be granted, or null if one may open now. Nothing is taken: the delivery asks for
     * the slot itself, so another node can still win it in between (milliseconds).
     */
    private Instant newConnectionWait(PathState s, PathLimits limits, Instant now) {
        RateGate g = gate;
        if (s.open.get() >= g.localShare(s.connectionBucket, limits.maxConnections(), now)
                || Boolean.FALSE.equals(g.slotFree(s.connectionBucket, limits.maxConnections(), now))) {
            return now.plus(SLOT_POLL);
        }
        Rate rate = limits.connectionRate();
        Instant next = g.next(s.connectionBucket, rate, RateGate.secondBurst(rate), now);
        return next.isAfter(now) ? next : null;
    }

    private boolean takeMessage(PathState s, PathKey path, PathLimits limits, Instant now) {
        if (!gate.tryTakeAll(messageBuckets(s, path, limits, now), now)) {
            return false;
        }
        s.messages.add(now);
        return true;
    }

    /** The path's message bucket and, when a tenant rule covers the path's tenant and site, the tenant's. */
    private List<RateGate.Bucket> messageBuckets(PathState s, PathKey path, PathLimits limits, Instant now) {
        RateGate.Bucket own = RateGate.Bucket.of(s.messageBucket, limits.messageRate());
        RateGate.Bucket tenant = tenantBudgets.bucket(path, now);
        return tenant == null ? List.of(own) : List.of(own, tenant);
    }

    @Override
    public Instant nextOpportunity(PathKey path) {
        Instant now = clock.instant();
        PathState s = state(path);
        Instant blocked = blockedUntil(s, now);
        if (blocked != null) {
            return blocked;
        }
        PathLimits l = effective(s, now);
        Instant message = gate.nextAll(messageBuckets(s, path, l, now), now);
        Instant wait = s.connectionWait;
        if (wait != null && wait.isAfter(now)) {
            // the last caller that needed a connection found none to be had before then
            return message.isAfter(wait) ? message : wait;
        }
        if (s.open.get() > 0) {
            return message; // an open connection can carry the next message
        }
        Instant connection = gate.next(s.connectionBucket, l.connectionRate(), RateGate.secondBurst(l.connectionRate()), now);
        return message.isAfter(connection) ? message : connection;
    }

    @Override
    public void onReply(PathKey path, Reply reply) {
        if (reply.isPositive()) {
            return;
        }
        Instant now = clock.instant();
        PathState s = state(path);
        if (reply.isTransient()) {
            s.deferrals.add(now);
        }
        backoff.onReply(s, reply, now, s.rule(book).limits());
    }

    @Override
    public List<PathStatus> status() {
        Instant now = clock.instant();
        List<PathStatus> out = new ArrayList<>();
        for (PathState s : paths.values()) {
            Optional<Suspension> susp = suspension(s, now);
            long msgs = s.messages.lastMinute(now);
            long defs = s.deferrals.lastMinute(now);
            if (s.open.get() > 0 || msgs > 0 || defs > 0 || susp.isPresent()) {
                out.add(new PathStatus(s.key, s.open.get(), effective(s, now), msgs, defs, susp.orElse(null)));
            }
        }
        // an operator suspension of a site without traffic yet still shows, as the site-wide path "*->site"
        java.util.Set<String> listed = new java.util.HashSet<>();
        out.forEach(p -> listed.add(p.path().site()));
        for (Suspension m : backoff.manualSuspensions()) {
            if (!listed.contains(m.path().site()) && backoff.manual(m.path().site(), now) != null) {
                out.add(new PathStatus(m.path(), 0, book.resolve(m.path().site(), null).limits(), 0, 0, m));
            }
        }
        return out;
    }

    @Override
    public List<TenantBudgetStatus> tenantBudgets() {
        return tenantBudgets.status(gate, clock.instant());
    }

    @Override
    public Suspension suspend(String site, Duration duration, String reason) {
        return backoff.suspend(site, duration, reason, clock.instant());
    }

    @Override
    public boolean resume(String site) {
        return backoff.resume(site, paths.values().stream().filter(p -> p.key.site().equals(site)).toList(), clock.instant());
    }

    @Override
    public Optional<Suspension> suspension(PathKey path) {
        return suspension(state(path), clock.instant());
    }

    private Optional<Suspension> suspension(PathState s, Instant now) {
        Suspension manual = backoff.manual(s.key.site(), now);
        if (manual != null) {
            return Optional.of(new Suspension(s.key, manual.rule(), null, manual.since(), manual.until(), manual.action()));
        }
        PathLimits base = s.rule(book).limits();
        Adjustment a = backoff.active(s, now, base);
        return a == null ? Optional.empty() : Optional.of(a.visible(now, base));
    }

    /**
     * When a suspension or a sending window (the rule's or the source's) stops this path from sending at all, or
     * null if nothing does.
     */
    private Instant blockedUntil(PathState s, Instant now) {
        Instant until = null;
        Suspension manual = backoff.manual(s.key.site(), now);
        if (manual != null) {
            until = manual.until();
        }
        ShapingRule rule = s.rule(book);
        Adjustment a = backoff.active(s, now, rule.limits());
        if (a != null && a.suspends() && (until == null || a.holdUntil().isAfter(until))) {
            until = a.holdUntil();
        }
        Instant open = SendingWindow.nextOpenInBoth(rule.window(), sources.window(s.key.source()),
                until == null ? now : until);
        return open.isAfter(now) ? open : until;
    }

    private PathLimits effective(PathState s, Instant now) {
        PathLimits base = s.rule(book).limits();
        Adjustment a = backoff.active(s, now, base);
        return a == null ? base : a.limitsAt(now, base);
    }

    /** The state of the path without its tenant: everything but tenant budgets is counted per source and site. */
    private PathState state(PathKey path) {
        if (ThreadLocalRandom.current().nextInt(SWEEP_EVERY) == 0) { // sampled: a shared counter would be contended
            sweep();
        }
        return paths.computeIfAbsent(path.egress(), PathState::new);
    }

    /**
     * Forgets quiet paths, so that a sender to millions of small sites does not keep them all. Buckets live in the
     * gate, so a forgotten path loses only counters that were zero anyway.
     */
    private void sweep() {
        Instant now = clock.instant();
        paths.values().removeIf(s -> s.open.get() == 0 && s.adjustment.get() == null
                && s.messages.lastMinute(now) == 0 && s.deferrals.lastMinute(now) == 0 && s.quiet(now.minus(IDLE)));
        tenantBudgets.sweep(now);
    }
}
