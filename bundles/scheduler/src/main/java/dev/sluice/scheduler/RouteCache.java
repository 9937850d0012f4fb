package dev.sluice.scheduler;

import dev.sluice.api.mail.Reply;
import dev.sluice.api.routing.Route;
import dev.sluice.api.routing.Router;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes per destination for a short while, so that a busy destination does not ask the router for every
 * message. The router has its own DNS cache with real TTLs; this only smooths bursts. One lookup at a time
 * per destination; entries go when their destination queue goes idle.
 */
final class RouteCache {

    private static final Logger LOG = LoggerFactory.getLogger(RouteCache.class);
    static final Reply ROUTING_FAILED = Reply.of(451, "4.4.3", "Routing failed, will retry");

    private final Map<String, Cached> routes = new HashMap<>();
    private final Supplier<Router> router;
    private final Clock clock;
    private final Duration ttl;

    private static final class Cached {
        Route route;
        long expires;
        boolean lookingUp;
    }

    RouteCache(Supplier<Router> router, Clock clock, Duration ttl) {
        this.router = router;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** The route, or null while it is looked up; {@code whenKnown} runs once it is. */
    Route get(String domain, Runnable whenKnown) {
        Cached cached;
        synchronized (this) {
            cached = routes.computeIfAbsent(domain, d -> new Cached());
            if (cached.route != null && cached.expires > clock.millis()) {
                return cached.route;
            }
            if (cached.lookingUp) {
                return null;
            }
            cached.lookingUp = true;
        }
        Router r = router.get();
        CompletionStage<Route> lookup;
        try {
            lookup = r == null ? CompletableFuture.failedFuture(new IllegalStateException("no router"))
                    : r.route(domain);
        } catch (RuntimeException e) {
            lookup = CompletableFuture.failedFuture(e);
        }
        lookup.whenComplete((route, failure) -> {
            if (failure != null || route == null) {
                // the router promises Failure for DNS trouble; an exception is a bug there, so retry later
                LOG.warn("Routing {} failed", domain, failure);
            }
            synchronized (this) {
                cached.route = failure != null || route == null ? new Route.Failure(ROUTING_FAILED) : route;
                cached.expires = clock.millis() + ttl.toMillis();
                cached.lookingUp = false;
            }
            whenKnown.run();
        });
        return null;
    }

    synchronized void forget(String domain) {
        Cached cached = routes.get(domain);
        if (cached != null && !cached.lookingUp) {
            routes.remove(domain);
        }
    }

    synchronized void clear() {
        routes.clear();
    }
}
