package dev.sluice.shell;

import dev.sluice.api.routing.NextHop;
import dev.sluice.api.routing.Route;
import dev.sluice.api.routing.Router;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code sluice:route DOMAIN}: what the router answers for a domain, as the scheduler would see it. */
@Component(service = Object.class, configurationPid = RouteCommand.PID,
        property = {"osgi.command.scope=sluice", "osgi.command.function=route"})
@Designate(ocd = RouteCommand.Config.class)
public class RouteCommand {

    static final String PID = "dev.sluice.shell.route";

    @ObjectClassDefinition(name = "Sluice shell: route command", description = "The sluice:route command.")
    public @interface Config {
        @AttributeDefinition(name = "Timeout (seconds)", min = "1", max = "3600",
                description = "How long sluice:route waits for the router. Range: 1 to 3600.")
        int timeoutSeconds() default 30;
    }

    /** Dynamic, so the command answers "not available" while routing is updated. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Router router;

    private final int timeoutSeconds;

    @Activate
    public RouteCommand(Config config) {
        if (config.timeoutSeconds() < 1) {
            throw new IllegalArgumentException("timeoutSeconds: must be at least 1");
        }
        this.timeoutSeconds = config.timeoutSeconds();
    }

    @Descriptor("route a recipient domain: the hosts in order, or why there are none")
    public String route(@Descriptor("domain, IDN or ASCII, or an address literal such as [192.0.2.1]") String domain)
            throws InterruptedException {
        Router current = Unavailable.require(router, "router", "routing-dns");
        String ascii = Selectors.domain(domain);
        Route route;
        try {
            route = current.route(ascii).toCompletableFuture().get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer for " + ascii + " within " + timeoutSeconds + " s", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("routing " + ascii + " failed: " + e.getCause(), e.getCause());
        }
        if (route instanceof Route.Failure failure) {
            return ascii + ": no route: " + failure.reply() + (failure.reply().isPermanent() ? " (bounce)" : " (defer)") + "\n";
        }
        Route.Hops hops = (Route.Hops) route;
        Table table = new Table("PREF", "HOST", "ADDRESS", "PORT", "TLS", "AUTH");
        for (NextHop h : hops.hops()) {
            table.row(h.preference(), h.host(), h.address().getHostAddress(), h.port(), h.tls(),
                    h.credentials() == null ? "-" : h.credentials().username());
        }
        return ascii + " -> site " + hops.site() + "\n" + table;
    }
}
