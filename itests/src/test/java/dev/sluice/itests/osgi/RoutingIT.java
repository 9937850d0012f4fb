package dev.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;

import dev.sluice.api.routing.NextHop;
import dev.sluice.api.routing.Route;
import dev.sluice.api.routing.Router;
import dev.sluice.api.routing.TlsPolicy;
import dev.sluice.testing.dns.TestDnsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** The resolver and a static route reconfigured through ConfigAdmin while the framework runs. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RoutingIT extends SluiceTestSupport {

    private static final Duration RECONFIGURED = Duration.ofSeconds(20);

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Override
    protected Option[] extraOptions() {
        return new Option[] {bundle(Path.of(System.getProperty("sluice.testing.dns.jar")).toUri().toString())};
    }

    @Test
    public void resolverChangeIsUsedForTheNextLookup() throws Exception {
        try (TestDnsServer first = new TestDnsServer(); TestDnsServer second = new TestDnsServer()) {
            second.zones().add("moved.test. MX 10 mx2.example.test.");
            Configuration dns = configAdmin.getConfiguration("dev.sluice.routing.dns", "?");
            dns.update(new Hashtable<>(java.util.Map.of("resolvers", new String[] {first.resolver()},
                    "timeoutMillis", 2000)));
            // each answer is kept from the lookup that passed: the router may be replaced between two lookups
            Route[] seen = new Route[1];
            assertTrue("the first resolver was never asked", await(RECONFIGURED,
                    () -> (seen[0] = route("moved.test")) instanceof Route.Failure f && f.reply().code() == 550));
            assertEquals("5.1.2", ((Route.Failure) seen[0]).reply().enhancedStatus());

            dns.update(new Hashtable<>(java.util.Map.of("resolvers", new String[] {second.resolver()},
                    "timeoutMillis", 2000)));
            assertTrue("the second resolver was never asked", await(RECONFIGURED,
                    () -> (seen[0] = route("moved.test")) instanceof Route.Hops));
            Route.Hops hops = (Route.Hops) seen[0];
            assertEquals("mx2.example.test", hops.hops().get(0).host());
            assertEquals("127.0.0.2", hops.hops().get(0).address().getHostAddress());
            assertTrue(second.count("moved.test.", org.xbill.DNS.Type.MX) > 0);
            dns.delete();
        }
    }

    @Test
    public void staticRouteAddedChangedAndRemovedAtRuntime() throws Exception {
        try (TestDnsServer dns = new TestDnsServer()) {
            Configuration resolver = configAdmin.getConfiguration("dev.sluice.routing.dns", "?");
            resolver.update(new Hashtable<>(java.util.Map.of("resolvers", new String[] {dns.resolver()})));
            assertTrue(await(RECONFIGURED, () -> firstHop("example.test").endsWith("127.0.0.1:25")));

            Configuration route = configAdmin.getFactoryConfiguration("dev.sluice.routing.static", "itest", "?");
            route.update(new Hashtable<>(java.util.Map.of("domains", new String[] {"example.test"},
                    "hosts", new String[] {"127.0.0.7:2599"}, "tls", "required")));
            Route[] seen = new Route[1];
            assertTrue("the static route never won over DNS",
                    await(RECONFIGURED, () -> firstHop(seen[0] = route("example.test")).endsWith("127.0.0.7:2599")));
            NextHop hop = ((Route.Hops) seen[0]).hops().get(0);
            assertEquals(TlsPolicy.REQUIRED, hop.tls());

            route.update(new Hashtable<>(java.util.Map.of("domains", new String[] {"example.test"},
                    "hosts", new String[] {"127.0.0.8:2600", "127.0.0.9:2601"}, "tls", "none")));
            assertTrue("the changed route was never used",
                    await(RECONFIGURED, () -> firstHop(seen[0] = route("example.test")).endsWith("127.0.0.8:2600")));
            List<NextHop> hops = ((Route.Hops) seen[0]).hops();
            assertEquals(2, hops.size());
            assertEquals(2601, hops.get(1).port());

            route.delete();
            assertTrue("the removed route still wins",
                    await(RECONFIGURED, () -> firstHop("example.test").endsWith("127.0.0.1:25")));
            resolver.delete();
        }
    }

    private String firstHop(String domain) {
        return firstHop(route(domain));
    }

    private static String firstHop(Route r) {
        if (r instanceof Route.Hops hops && !hops.hops().isEmpty()) {
            NextHop h = hops.hops().get(0);
            return h.address().getHostAddress() + ":" + h.port();
        }
        return String.valueOf(r);
    }

    /** The current Router: a reconfiguration replaces the component, so never hold on to one. */
    private Route route(String domain) {
        ServiceReference<Router> ref = context.getServiceReference(Router.class);
        if (ref == null) {
            return null;
        }
        Router router = context.getService(ref);
        try {
            return router == null ? null : router.route(domain).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("route(" + domain + ") failed", e);
        } finally {
            context.ungetService(ref);
        }
    }
}
