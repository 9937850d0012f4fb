package dev.sluice.scheduler;

import dev.sluice.api.queue.MailQueue;
import dev.sluice.api.queue.QueueEntry;
import dev.sluice.api.queue.QueueException;
import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.routing.Route;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduling core: due times, rounds, destination queues, route cache. One lock guards the in-memory
 * state; disk and network never happen under it. The timer only hands {@link #tick()} to the workers.
 */
final class Engine {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    final Object lock = new Object();
    final Services services;
    final Clock clock;
    final TaskTimer timer;
    final Settings settings;
    final Index index = new Index();
    final Paths paths = new Paths();
    final Recorder recorder;
    final Dispatcher dispatcher;
    private final Executor workers;
    private final Map<String, DestinationQueue> queues = new HashMap<>();
    final HeldDestinations held = new HeldDestinations();
    final TenantTally tenantTally;
    /** Loaded messages waiting aside over every destination. */
    final WaitingBudget waiting;
    private final RouteCache routes;
    final Rounds rounds = new Rounds(this);
    private long wakeAt = Long.MAX_VALUE;
    private TaskTimer.Cancellable wake;
    /** A tick is queued on the workers and has not started yet: later requests ride on it. */
    private boolean tickQueued;
    private boolean closed;

    Engine(Settings settings, Clock clock, TaskTimer timer, Executor workers, Executor filterCallers,
           Services services) {
        this.settings = settings;
        this.clock = clock;
        this.timer = timer;
        this.workers = workers;
        this.services = services;
        this.tenantTally = new TenantTally(services);
        this.waiting = new WaitingBudget(WaitingBudget.MAX);
        this.routes = new RouteCache(services.router::get, clock, settings.routeCache());
        this.recorder = new Recorder(clock, settings.retry(), services);
        this.dispatcher = new Dispatcher(this, new FilterChain(services, timer, this::execute, filterCallers));
    }

    void execute(Runnable task) {
        try {
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            // stopping: the recipients keep their stored state and are picked up by the next activation
            LOG.debug("Scheduler stopping, task dropped", e);
        }
    }

    long now() {
        return clock.millis();
    }

    /** A queue service arrived: learn what it holds (it announces new messages itself). */
    void queueBound() {
        execute(() -> {
            MailQueue queue = services.queue.get();
            if (queue == null) {
                return;
            }
            long start = System.nanoTime();
            queue.forEach(this::learn);
            LOG.info("Scheduler knows {} queued messages ({} ms to read the index)", index.size(),
                    (System.nanoTime() - start) / 1_000_000);
            servicesChanged();
        });
    }

    /** The queue went away: forget its index; a replacement is read again when it binds. */
    void queueUnbound() {
        synchronized (lock) {
            index.clear();
            queues.values().forEach(DestinationQueue::drain);
            routes.clear();
        }
    }

    void learn(QueueEntry queued) {
        long next;
        synchronized (lock) {
            long now = now();
            Entry e = index.learn(queued, now);
            if (e == null) {
                return;
            }
            if (e.held) {
                index.park(e);
                return;
            }
            index.schedule(e, queued.nextAttempt().toEpochMilli(), now);
            next = e.due;
        }
        arm(next);
    }

    /** A referenced service came or went: resume if everything needed is there. */
    void servicesChanged() {
        if (!services.ready()) {
            return;
        }
        List<DestinationQueue> all;
        synchronized (lock) {
            all = new ArrayList<>(queues.values());
        }
        arm(now());
        all.forEach(DestinationQueue::requestPump);
    }

    void arm(long at) {
        long now = now();
        if (at <= now) {
            tickNow();
            return;
        }
        synchronized (lock) {
            if (closed || at >= wakeAt) {
                return;
            }
            if (wake != null) {
                wake.cancel();
            }
            wakeAt = at;
            wake = timer.schedule(Duration.ofMillis(Math.max(0, at - now)), () -> {
                synchronized (lock) {
                    wake = null;
                    wakeAt = Long.MAX_VALUE;
                }
                execute(this::tick);
            });
        }
    }

    /**
     * Something is due already: straight to a worker rather than through the timer thread (one thread hand-off
     * less per newly queued message); requests made before the queued tick starts are covered by it.
     */
    private void tickNow() {
        synchronized (lock) {
            if (closed || tickQueued) {
                return;
            }
            tickQueued = true;
        }
        execute(() -> {
            synchronized (lock) {
                tickQueued = false;
            }
            tick();
        });
    }

    /** Starts a round for every entry that is due. */
    void tick() {
        List<DestinationQueue> toPump = new ArrayList<>();
        List<Entry> empty = new ArrayList<>();
        long next;
        synchronized (lock) {
            if (!services.ready()) {
                return;
            }
            long now = now();
            for (Entry e : index.pollDue(now)) {
                startRound(e, toPump, empty);
            }
            next = index.nextDue(now);
        }
        toPump.forEach(DestinationQueue::requestPump);
        empty.forEach(this::partDone);
        if (next != Long.MAX_VALUE) {
            arm(next);
        }
    }

    private void startRound(Entry e, List<DestinationQueue> toPump, List<Entry> empty) {
        List<String> destinations = e.destinations().stream().filter(d -> !held.contains(d)).toList();
        if (e.held || (destinations.isEmpty() && !e.destinations().isEmpty())) {
            index.park(e);
            return;
        }
        e.state = Entry.ROUND;
        e.round = new Round(Math.max(1, destinations.size()), e.forced);
        e.forced = false;
        if (destinations.isEmpty()) {
            // nothing known to route: a round that only reloads the message
            empty.add(e);
        }
        for (String d : destinations) {
            DestinationQueue q = queues.computeIfAbsent(d, k -> new DestinationQueue(k, this));
            q.add(e);
            toPump.add(q);
        }
    }

    void partDone(Entry entry) {
        rounds.partDone(entry);
    }

    /** The cached route of a domain, or null while it is looked up (the queue is pumped when it is known). */
    Route route(String domain, DestinationQueue waiter) {
        return routes.get(domain, waiter::requestPump);
    }

    void releasePath(PathKey path) {
        List<DestinationQueue> wake;
        synchronized (lock) {
            wake = paths.release(path);
        }
        wake.forEach(DestinationQueue::requestPump);
    }

    /** Under the lock: forgets a destination queue with nothing to do, and its cached route. */
    void retireIfIdle(DestinationQueue q) {
        if (q.idle() && queues.get(q.domain) == q) {
            queues.remove(q.domain);
            routes.forget(q.domain);
        }
    }

    boolean isHeld(String domain) {
        return held.contains(domain);
    }

    /** Stored in the queue first; if that fails, nothing changes. */
    void holdDestination(String domain) throws QueueException {
        held.hold(domain, services.queue.get());
        DestinationQueue q;
        synchronized (lock) {
            q = queues.get(domain);
        }
        if (q != null) {
            q.requestPump();
        }
    }

    Set<String> heldDestinations() {
        return held.snapshot();
    }

    /** Releases a held destination and makes the messages it kept back due now. */
    int releaseDestination(String domain) throws QueueException {
        held.release(domain, services.queue.get());
        int n = 0;
        synchronized (lock) {
            long now = now();
            for (Entry e : index.entries()) {
                if (e.hasDestination(domain)) {
                    n++;
                    if (e.state == Entry.PARKED && !e.held) {
                        index.schedule(e, now, now);
                    }
                }
            }
        }
        arm(now());
        return n;
    }

    void close() {
        synchronized (lock) {
            closed = true;
            if (wake != null) {
                wake.cancel();
            }
        }
    }
}
