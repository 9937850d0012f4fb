package dev.sluice.routing.dns;

import dev.sluice.api.routing.NextHop;
import dev.sluice.api.routing.Route;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** Picks the most specific static route for a domain and turns its hosts into next hops. */
final class StaticRouter {

    private final HostResolver hosts;

    StaticRouter(HostResolver hosts) {
        this.hosts = hosts;
    }

    /** The most specific match; equally specific routes are ordered by name so the choice is stable. */
    static StaticRoute select(List<StaticRoute> routes, String domain) {
        StaticRoute best = null;
        int bestScore = -1;
        for (StaticRoute r : routes) {
            int score = r.specificity(domain);
            if (score > bestScore || (score == bestScore && score >= 0 && r.name().compareTo(best.name()) < 0)) {
                best = r;
                bestScore = score;
            }
        }
        return best;
    }

    /**
     * Configured hosts are not checked against the loop guard: a route to a local content filter on
     * another port of this machine is legitimate, and the administrator named the hosts explicitly.
     */
    CompletableFuture<Route> route(StaticRoute route, String domain) {
        List<CompletableFuture<HostResolver.Addresses>> pending = new ArrayList<>();
        for (HostPort hp : route.hosts()) {
            pending.add(hp.address() != null
                    ? CompletableFuture.completedFuture(new HostResolver.Addresses(hp.host(), Answer.Status.OK,
                            List.of(hp.address()), ""))
                    : hosts.resolve(hp.host(), absolute(hp.host())));
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            List<NextHop> hops = new ArrayList<>();
            List<HostResolver.Addresses> failed = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                HostPort hp = route.hosts().get(i);
                HostResolver.Addresses a = pending.get(i).join();
                for (InetAddress address : a.addresses()) {
                    hops.add(new NextHop(hp.host(), address, hp.port(), 0, route.tls(), route.credentials()));
                }
                if (a.addresses().isEmpty()) {
                    failed.add(a);
                }
            }
            if (!hops.isEmpty()) {
                return new Route.Hops(domain, "route:" + route.name(), hops);
            }
            // A broken static route is a configuration problem: defer, never bounce.
            String details = failed.stream().map(HostResolver.Addresses::detail).collect(Collectors.joining("; "));
            return failed.stream().anyMatch(HostResolver.Addresses::tempfail)
                    ? Replies.dnsTrouble(domain, "route " + route.name() + ": " + details)
                    : Replies.noAddress(domain, "route " + route.name() + ": " + details);
        });
    }

    private static Name absolute(String host) {
        try {
            return Name.fromString(host, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("host " + host + ": " + e.getMessage(), e);
        }
    }
}
