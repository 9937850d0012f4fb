package dev.sluice.smtp.server;

import dev.sluice.api.event.DeliveryListener;
import dev.sluice.api.filter.ConnectFilter;
import dev.sluice.api.filter.DataFilter;
import dev.sluice.api.filter.HeloFilter;
import dev.sluice.api.filter.MailFromFilter;
import dev.sluice.api.filter.RcptFilter;
import dev.sluice.api.metrics.Metrics;
import dev.sluice.api.queue.MailQueue;
import dev.sluice.api.ratelimit.InboundLimiter;
import dev.sluice.api.smtp.SmtpListenerStatus;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One SMTP listener per factory configuration of {@code dev.sluice.smtp.listener}. A configuration change
 * re-creates the component, which rebinds the port. The queue, limiter, filters and delivery listeners are
 * dynamic: sessions see whatever is registered when they look, and a missing queue means 451, never a loss.
 */
@Component(configurationPid = "dev.sluice.smtp.listener", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = SmtpListenerStatus.class, immediate = true)
@Designate(ocd = ListenerConfig.class, factory = true)
public final class SmtpListener implements SmtpListenerStatus {

    private final Services services = new Services();
    private final FilterRunner filters;
    private final SmtpServer server;
    private final String name;

    @Activate
    public SmtpListener(ListenerConfig config, BundleContext context) {
        this(config, context == null ? null : context.getProperty("sluice.home"), Clock.systemUTC());
    }

    SmtpListener(ListenerConfig config, String home, Clock clock) {
        ListenerSettings settings = ListenerSettings.from(config, home);
        if (settings.tlsMode().equals("starttls") && settings.tls() == null) {
            org.slf4j.LoggerFactory.getLogger(SmtpListener.class).warn("SMTP listener {}: STARTTLS not offered, "
                    + "no tlsKeystorePath or tlsCertificatePath configured", settings.name());
        }
        name = settings.name();
        filters = new FilterRunner(settings.name(), settings.workerThreads());
        try {
            server = new SmtpServer(new ListenerContext(settings, services,
                    new ConnectionCounter(settings.maxSessions(), settings.maxSessionsPerClient()), clock, filters));
        } catch (RuntimeException e) {
            filters.close();
            throw e;
        }
    }

    @Deactivate
    void deactivate() {
        server.close();
        filters.close();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int openConnections() {
        return server.sessions().size();
    }

    /** The bound address (the real port when configured with 0). */
    InetSocketAddress address() {
        return server.address();
    }

    java.util.Collection<org.apache.mina.core.session.IoSession> sessions() {
        return server.sessions();
    }

    Services services() {
        return services;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setMailQueue(MailQueue queue) {
        services.queue.set(queue);
    }

    void unsetMailQueue(MailQueue queue) {
        services.queue.compareAndSet(queue, null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setInboundLimiter(InboundLimiter limiter) {
        services.limiter.set(limiter);
    }

    void unsetInboundLimiter(InboundLimiter limiter) {
        services.limiter.compareAndSet(limiter, null);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addConnectFilter(ConnectFilter filter, Map<String, Object> properties) {
        services.connectFilters.add(filter, properties);
    }

    void updatedConnectFilter(ConnectFilter filter, Map<String, Object> properties) {
        services.connectFilters.add(filter, properties);
    }

    void removeConnectFilter(ConnectFilter filter) {
        services.connectFilters.remove(filter);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addHeloFilter(HeloFilter filter, Map<String, Object> properties) {
        services.heloFilters.add(filter, properties);
    }

    void updatedHeloFilter(HeloFilter filter, Map<String, Object> properties) {
        services.heloFilters.add(filter, properties);
    }

    void removeHeloFilter(HeloFilter filter) {
        services.heloFilters.remove(filter);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addMailFromFilter(MailFromFilter filter, Map<String, Object> properties) {
        services.mailFilters.add(filter, properties);
    }

    void updatedMailFromFilter(MailFromFilter filter, Map<String, Object> properties) {
        services.mailFilters.add(filter, properties);
    }

    void removeMailFromFilter(MailFromFilter filter) {
        services.mailFilters.remove(filter);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addRcptFilter(RcptFilter filter, Map<String, Object> properties) {
        services.rcptFilters.add(filter, properties);
    }

    void updatedRcptFilter(RcptFilter filter, Map<String, Object> properties) {
        services.rcptFilters.add(filter, properties);
    }

    void removeRcptFilter(RcptFilter filter) {
        services.rcptFilters.remove(filter);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDataFilter(DataFilter filter, Map<String, Object> properties) {
        services.dataFilters.add(filter, properties);
    }

    void updatedDataFilter(DataFilter filter, Map<String, Object> properties) {
        services.dataFilters.add(filter, properties);
    }

    void removeDataFilter(DataFilter filter) {
        services.dataFilters.remove(filter);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setMetrics(Metrics metrics) {
        services.bindMetrics(metrics, name);
    }

    void unsetMetrics(Metrics metrics) {
        services.unbindMetrics(metrics);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDeliveryListener(DeliveryListener listener) {
        services.listeners.add(listener);
    }

    void removeDeliveryListener(DeliveryListener listener) {
        services.listeners.remove(listener);
    }
}
