package dev.sluice.scheduler;

import dev.sluice.api.delivery.BounceClassifier;
import dev.sluice.api.delivery.BounceService;
import dev.sluice.api.delivery.DeliveryAgent;
import dev.sluice.api.event.DeliveryListener;
import dev.sluice.api.filter.PreDeliveryFilter;
import dev.sluice.api.metrics.Metrics;
import dev.sluice.api.queue.MailQueue;
import dev.sluice.api.queue.QueueAdmin;
import dev.sluice.api.queue.QueueEntry;
import dev.sluice.api.queue.QueueListener;
import dev.sluice.api.ratelimit.TrafficShaper;
import dev.sluice.api.routing.Router;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The scheduler: learns the queue, delivers what is due, retries, expires, and offers queue operations.
 * References are dynamic (DS allows constructor injection only for static ones), so they arrive through bind
 * methods after construction; work pauses while the queue, router, shaper or agent is missing.
 */
@Component(configurationPid = "dev.sluice.scheduler", service = {QueueListener.class, QueueAdmin.class},
        immediate = true)
@Designate(ocd = SchedulerComponent.Config.class)
public class SchedulerComponent extends ForwardingAdmin implements QueueListener {

    @ObjectClassDefinition(name = "Sluice scheduler", description = "Retry schedule, expiry and delay warnings.")
    public @interface Config {
        @AttributeDefinition(name = "First retry (seconds)", description = "Wait after the first temporary failure. "
                + "Range: 1 to 604800 (a week).", min = "1", max = "604800")
        long retryInitialSeconds() default 300;

        @AttributeDefinition(name = "Retry multiplier",
                description = "Each further wait is the previous one times this. Range: 1 to 100.", min = "1",
                max = "100")
        double retryMultiplier() default 2.0;

        @AttributeDefinition(name = "Longest retry wait (seconds)", description = "Cap of the exponential backoff; "
                + "not below the first retry. Range: 1 to 604800 (a week).", min = "1", max = "604800")
        long retryMaxSeconds() default 3600;

        @AttributeDefinition(name = "Maximum lifetime (hours)",
                description = "After this time in the queue a recipient expires and its sender gets a bounce (4.4.7). "
                        + "Fractions are allowed (0.5 = 30 minutes). Range: 0.001 to 8760 (a year).", min = "0.001",
                max = "8760")
        double maxLifetimeHours() default 120;

        @AttributeDefinition(name = "Delay warning (hours)",
                description = "Warn the sender once when a recipient is still deferred after this time; 0 = never; "
                        + "below the maximum lifetime. Range: 0 to 8760.", min = "0", max = "8760")
        int delayWarningHours() default 4;

        @AttributeDefinition(name = "Route cache (seconds)",
                description = "How long a destination's route is reused before asking the router again; 0 asks "
                        + "every time. Range: 0 to 86400 (a day).", min = "0", max = "86400")
        int routeCacheSeconds() default 60;

        @AttributeDefinition(name = "Storage retry (seconds)",
                description = "Wait before trying a message again after the queue could not be read or written. "
                        + "Range: 1 to 86400 (a day).", min = "1", max = "86400")
        int storageRetrySeconds() default 60;

        @AttributeDefinition(name = "Worker threads", description = "Threads for queue I/O and dispatching. "
                + "Range: 1 to 256.", min = "1", max = "256")
        int workerThreads() default 4;
    }

    private static final java.time.Duration IN_FLIGHT_GRACE = java.time.Duration.ofSeconds(5);

    private final Services services;
    private final Engine engine;
    private final TaskTimer timer;
    private final ExecutorService workers;
    private final ExecutorService filterCallers;

    @Activate
    public SchedulerComponent(Config config) {
        this(Settings.from(config), Clock.systemUTC(), new ExecutorTimer("sluice-scheduler-timer"),
                ExecutorTimer.workers(Settings.from(config).workerThreads(), "sluice-scheduler-worker-"),
                ExecutorTimer.filterCallers(Math.max(8, 2 * Settings.from(config).workerThreads()),
                        "sluice-scheduler-filter-"));
    }

    /** Filters are called on the workers (tests run both on one manual executor). */
    SchedulerComponent(Settings settings, Clock clock, TaskTimer timer, ExecutorService workers) {
        this(settings, clock, timer, workers, workers);
    }

    SchedulerComponent(Settings settings, Clock clock, TaskTimer timer, ExecutorService workers,
                       ExecutorService filterCallers) {
        this(new Services(), settings, clock, timer, workers, filterCallers);
    }

    private SchedulerComponent(Services services, Settings settings, Clock clock, TaskTimer timer,
                               ExecutorService workers, ExecutorService filterCallers) {
        super(new Operations(new Engine(settings, clock, timer, workers, filterCallers, services)));
        this.services = services;
        this.engine = operations().engine();
        this.timer = timer;
        this.workers = workers;
        this.filterCallers = filterCallers;
    }

    @Deactivate
    void deactivate() {
        engine.close();
        // The references are still bound during deactivate: let deliveries under way report, so that an update of
        // this bundle does not send them twice.
        engine.dispatcher.awaitInFlight(IN_FLIGHT_GRACE);
        timer.close();
        if (filterCallers != workers) {
            filterCallers.shutdownNow(); // filters still running decide nothing any more: their batches stay queued
        }
        workers.shutdown();
        try {
            // let outcomes being written finish; anything later stays as stored and is redone next time
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void queued(QueueEntry entry) {
        engine.learn(entry);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindQueue")
    void bindQueue(MailQueue queue) {
        engine.held.load(queue); // before anything of this queue can be scheduled
        Services.set(services.queue, queue);
        engine.queueBound();
    }

    void unbindQueue(MailQueue queue) {
        if (Services.unset(services.queue, queue)) {
            engine.queueUnbound();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindRouter")
    void bindRouter(Router router) {
        Services.set(services.router, router);
        engine.servicesChanged();
    }

    void unbindRouter(Router router) {
        Services.unset(services.router, router);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindShaper")
    void bindShaper(TrafficShaper shaper) {
        Services.set(services.shaper, shaper);
        engine.servicesChanged();
    }

    void unbindShaper(TrafficShaper shaper) {
        Services.unset(services.shaper, shaper);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindAgent")
    void bindAgent(DeliveryAgent agent) {
        Services.set(services.agent, agent);
        engine.servicesChanged();
    }

    void unbindAgent(DeliveryAgent agent) {
        Services.unset(services.agent, agent);
        engine.dispatcher.agentGone(agent);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindBounces")
    void bindBounces(BounceService bounces) {
        Services.set(services.bounces, bounces);
    }

    void unbindBounces(BounceService bounces) {
        Services.unset(services.bounces, bounces);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindClassifier")
    void bindClassifier(BounceClassifier classifier) {
        Services.set(services.classifier, classifier);
    }

    void unbindClassifier(BounceClassifier classifier) {
        Services.unset(services.classifier, classifier);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindMetrics")
    void bindMetrics(Metrics metrics) {
        services.bindMetrics(metrics);
    }

    void unbindMetrics(Metrics metrics) {
        services.unbindMetrics(metrics);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeFilter",
            updated = "updatedFilter")
    void addFilter(PreDeliveryFilter filter, Map<String, Object> properties) {
        services.addFilter(filter, properties);
    }

    void updatedFilter(PreDeliveryFilter filter, Map<String, Object> properties) {
        services.addFilter(filter, properties);
    }

    void removeFilter(PreDeliveryFilter filter) {
        services.removeFilter(filter);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeListener")
    void addListener(DeliveryListener listener, Map<String, Object> properties) {
        services.addListener(listener, properties);
    }

    void removeListener(DeliveryListener listener) {
        services.removeListener(listener);
    }
}
