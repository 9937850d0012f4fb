package dev.sluice.scheduler;

import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.ratelimit.TrafficShaper;
import dev.sluice.api.routing.Route;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ready queue of one destination domain and its pump. Each destination is pumped independently on the
 * workers, and a destination that cannot send (no room on its path, rate exhausted, route lookup pending)
 * returns instead of waiting, so it never delays another. Within a destination, mail whose source or tenant cannot
 * send now waits aside ({@link Waits}), so that mail of the destination's other sources and tenants goes past it.
 * One pump runs at a time per destination.
 */
final class DestinationQueue {

    private static final Logger LOG = LoggerFactory.getLogger(DestinationQueue.class);
    /** Guards against a shaper that keeps saying "now" while refusing. */
    private static final Duration MIN_WAIT = Duration.ofMillis(100);
    /**
     * The shaper's next opportunity is a forecast: an operator resume (here or on another node sharing Redis) or a
     * changed rule can make it earlier without telling anyone, so a suspended destination asks again this often.
     */
    static final Duration MAX_WAIT = Duration.ofSeconds(5);

    final String domain;
    private final Engine engine;
    /** Guarded by the engine's lock. */
    private final ArrayDeque<Entry> ready = new ArrayDeque<>();
    private boolean requested;
    private boolean running;
    private boolean rerun;
    private TaskTimer.Cancellable wake;
    private Instant wakeAt;
    /** Only touched by the running pump. */
    private Work current;
    private final Waits waits;

    DestinationQueue(String domain, Engine engine) {
        this.domain = domain;
        this.engine = engine;
        this.waits = new Waits(engine.tenantTally, engine.waiting);
    }

    /** Under the engine's lock. */
    void add(Entry e) {
        ready.add(e);
    }

    /** Under the engine's lock: true when nothing is queued, running or about to run. */
    boolean idle() {
        return ready.isEmpty() && !requested && !running && current == null && waits.isEmpty();
    }

    /** Under the engine's lock: removes everything queued (the destination was held or the queue went away). */
    List<Entry> drain() {
        List<Entry> all = new ArrayList<>(ready);
        ready.clear();
        return all;
    }

    void requestPump() {
        synchronized (engine.lock) {
            if (requested) {
                return;
            }
            requested = true;
        }
        engine.execute(this::run);
    }

    private void run() {
        synchronized (engine.lock) {
            requested = false;
            if (running) {
                rerun = true;
                return;
            }
            running = true;
        }
        try {
            pump();
        } catch (RuntimeException e) {
            LOG.error("Pump of {} failed; it resumes on the next event", domain, e);
        } finally {
            boolean again;
            synchronized (engine.lock) {
                running = false;
                again = rerun;
                rerun = false;
                if (!again) {
                    engine.retireIfIdle(this);
                }
            }
            if (again) {
                requestPump();
            }
        }
    }

    private void pump() {
        boolean waitsTried = false;
        while (true) {
            if (engine.isHeld(domain)) {
                dropAll();
                return;
            }
            if (!engine.services.ready()) {
                return;
            }
            Route route = engine.route(domain, this);
            if (route == null) {
                return;
            }
            if (!waitsTried) {
                // once per pump (a wake-up, a freed path), not per message: each try may ask Redis
                waitsTried = true;
                if (!waits.retry(this::dispatchWaiting, e -> prepareWaiting(e, route), this::senderOf)) {
                    return;
                }
            }
            if (current == null) {
                if (waits.full() || !waits.isEmpty() && !waits.mayPark()) {
                    return; // the waiting paths' and tenants' wake-ups pump again
                }
                Entry next;
                String sender;
                synchronized (engine.lock) {
                    next = ready.poll();
                    sender = next == null ? null : next.senderDomain;
                }
                if (next == null) {
                    return;
                }
                if (waits.takes(next, sender)) {
                    continue; // behind its sender's mail waiting for its source, not loaded meanwhile
                }
                current = engine.dispatcher.prepare(next, domain, route);
                if (current == null || waits.takes(current)) {
                    current = null; // nothing to send, or behind its source's or tenant's earlier mail
                    continue;
                }
            }
            Waits.Sent sent = dispatch(current);
            if (sent == Waits.Sent.STOPPED) {
                return;
            }
            if (sent != Waits.Sent.ALL) {
                if (!waits.mayPark()) {
                    return; // kept in hand, first to go when dispatch's wake-up (path freed, forecast) pumps again
                }
                waits.add(current, sent, senderOf(current));
            }
            current = null;
        }
    }

    private String senderOf(Work work) {
        synchronized (engine.lock) {
            return work.entry.senderDomain;
        }
    }

    /**
     * An entry that waited unloaded for its sender's source, loaded now that its turn came; null when it has nothing
     * left to send, or when it is no longer {@link #known}.
     */
    private Work prepareWaiting(Entry entry, Route route) {
        if (known(entry)) {
            return engine.dispatcher.prepare(entry, domain, route);
        }
        engine.partDone(entry);
        return null;
    }

    /** A message that waited for its path or tenant: dropped instead when it is no longer {@link #known}. */
    private Waits.Sent dispatchWaiting(Work work) {
        if (known(work.entry)) {
            return dispatch(work);
        }
        while (work.hasNext()) {
            work.next();
            engine.partDone(work.entry);
        }
        return Waits.Sent.ALL;
    }

    /**
     * Whether an entry that waited aside is still the index's: when the queue was replaced meanwhile the message is
     * known afresh (and queued again), so this one must not be sent too.
     */
    private boolean known(Entry entry) {
        synchronized (engine.lock) {
            return engine.index.holds(entry);
        }
    }

    /**
     * Dispatches a message's batches while its path has room. A batch takes its message token only when a connection
     * can carry it at once (a free one, or a slot for a new one): one that has to wait for a connection must not
     * spend the path's rate meanwhile. Says whether the path or only the message's tenant stopped it.
     */
    private Waits.Sent dispatch(Work work) {
        PathKey egress = work.egress();
        while (work.hasNext()) {
            TrafficShaper shaper = engine.services.shaper.get();
            if (shaper == null) {
                return Waits.Sent.STOPPED;
            }
            int max = shaper.limits(egress).maxConnections();
            synchronized (engine.lock) {
                if (!engine.paths.hasRoom(egress, max, this)) {
                    return Waits.Sent.PATH_BUSY;
                }
                int underWay = engine.paths.inFlight(egress);
                if (!shaper.tryAcquireMessage(work.path, underWay)) {
                    wakeAt(shaper.nextOpportunity(work.path));
                    // the path without the tenant could go now: only the tenant's own budget is used up
                    if (work.path.tenant() != null
                            && !shaper.nextOpportunity(egress).isAfter(engine.clock.instant())) {
                        return Waits.Sent.TENANT_BUSY;
                    }
                    if (underWay > 0) {
                        engine.paths.await(egress, this); // a delivery that ends frees a connection
                    } else {
                        engine.paths.forgetIfIdle(egress);
                    }
                    return Waits.Sent.PATH_BUSY;
                }
                engine.paths.reserve(egress);
            }
            engine.dispatcher.dispatch(work, work.next());
        }
        return Waits.Sent.ALL;
    }

    /** Under the engine's lock. */
    private void wakeAt(Instant at) {
        Instant now = engine.clock.instant();
        Instant earliest = now.plus(MIN_WAIT);
        Instant latest = now.plus(MAX_WAIT);
        Instant when = at.isBefore(earliest) ? earliest : at.isAfter(latest) ? latest : at;
        if (wake != null && !wakeAt.isAfter(when)) {
            return;
        }
        if (wake != null) {
            wake.cancel();
        }
        wakeAt = when;
        wake = engine.timer.schedule(Duration.between(engine.clock.instant(), when), () -> {
            synchronized (engine.lock) {
                wake = null;
            }
            requestPump();
        });
    }

    private void dropAll() {
        List<Entry> dropped;
        synchronized (engine.lock) {
            dropped = drain();
        }
        waits.drainTo(dropped);
        if (current != null) {
            for (int i = current.remaining(); i > 0; i--) {
                dropped.add(current.entry);
            }
            current = null;
        }
        dropped.forEach(engine::partDone);
    }
}
