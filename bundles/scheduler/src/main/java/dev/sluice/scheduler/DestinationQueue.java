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
 * returns instead of waiting, so it never delays another. One pump runs at a time per destination.
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

    DestinationQueue(String domain, Engine engine) {
        this.domain = domain;
        this.engine = engine;
    }

    /** Under the engine's lock. */
    void add(Entry e) {
        ready.add(e);
    }

    /** Under the engine's lock: true when nothing is queued, running or about to run. */
    boolean idle() {
        return ready.isEmpty() && !requested && !running && current == null;
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
            if (current == null) {
                Entry next;
                synchronized (engine.lock) {
                    next = ready.poll();
                }
                if (next == null) {
                    return;
                }
                current = engine.dispatcher.prepare(next, domain, route);
                if (current == null) {
                    continue;
                }
            }
            if (!dispatchCurrent()) {
                return;
            }
            current = null;
        }
    }

    /**
     * Dispatches the current message's batches while its path has room; false when it must wait. A batch takes its
     * message token only when a connection can carry it at once (a free one, or a slot for a new one): one that has
     * to wait for a connection must not spend the path's rate meanwhile.
     */
    private boolean dispatchCurrent() {
        PathKey egress = current.egress();
        while (current.hasNext()) {
            TrafficShaper shaper = engine.services.shaper.get();
            if (shaper == null) {
                return false;
            }
            int max = shaper.limits(egress).maxConnections();
            synchronized (engine.lock) {
                if (!engine.paths.hasRoom(egress, max, this)) {
                    return false;
                }
                int underWay = engine.paths.inFlight(egress);
                if (!shaper.tryAcquireMessage(current.path, underWay)) {
                    if (underWay > 0) {
                        engine.paths.await(egress, this); // a delivery that ends frees a connection
                    } else {
                        engine.paths.forgetIfIdle(egress);
                    }
                    wakeAt(shaper.nextOpportunity(current.path));
                    return false;
                }
                engine.paths.reserve(egress);
            }
            engine.dispatcher.dispatch(current, current.next());
        }
        return true;
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
        if (current != null) {
            for (int i = current.remaining(); i > 0; i--) {
                dropped.add(current.entry);
            }
            current = null;
        }
        dropped.forEach(engine::partDone);
    }
}
