package dev.sluice.routing.dns;

import dev.sluice.api.routing.NextHop;
import dev.sluice.api.routing.Route;
import dev.sluice.api.routing.TlsPolicy;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntUnaryOperator;
import java.util.stream.Collectors;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** RFC 5321 §5.1 routing: MX records (or the implicit MX), RFC 7505 null MX, loop detection. */
final class MxRouter {

    static final int SMTP_PORT = 25;

    private record Mx(String host, Name name, int preference) { }

    private final DnsLookup lookup;
    private final HostResolver hosts;
    private final LoopGuard loops;
    private final int maxMxHosts;
    private final IntUnaryOperator random;

    /** @param random returns a number in {@code [0, bound)}; injectable so tests can check the shuffle */
    MxRouter(DnsLookup lookup, HostResolver hosts, LoopGuard loops, int maxMxHosts, IntUnaryOperator random) {
        this.lookup = lookup;
        this.hosts = hosts;
        this.loops = loops;
        this.maxMxHosts = maxMxHosts;
        this.random = random;
    }

    CompletableFuture<Route> route(String domain, Name name) {
        return lookup.lookup(name, Type.MX).thenCompose(answer -> switch (answer.status()) {
            case TEMPFAIL -> done(Replies.dnsTrouble(domain, "MX: " + answer.detail()));
            case NXDOMAIN -> done(Replies.noSuchDomain(domain));
            case NODATA -> implicitMx(domain, name);
            case OK -> fromMx(domain, answer.records());
        });
    }

    private CompletableFuture<Route> implicitMx(String domain, Name name) {
        if (loops.isLocalName(domain)) {
            return done(Replies.loop(domain, domain));
        }
        return hosts.resolve(domain, name).thenApply(a -> switch (a.status()) {
            case OK -> loops.anyLocal(a.addresses()) ? Replies.loop(domain, domain)
                    : new Route.Hops(domain, domain, hops(List.of(new Mx(domain, name, 0)), List.of(a)));
            case TEMPFAIL -> Replies.dnsTrouble(domain, a.detail());
            default -> Replies.noMailHost(domain);
        });
    }

    private CompletableFuture<Route> fromMx(String domain, List<Record> records) {
        Map<String, Mx> byHost = new LinkedHashMap<>();
        for (Record r : records) {
            MXRecord mx = (MXRecord) r;
            if (!mx.getTarget().equals(Name.root)) {
                String host = mx.getTarget().toString(true).toLowerCase(Locale.ROOT);
                Mx candidate = new Mx(host, mx.getTarget(), mx.getPriority());
                byHost.merge(host, candidate, (a, b) -> a.preference() <= b.preference() ? a : b);
            }
        }
        if (byHost.isEmpty()) {
            // Only "MX 0 ." (or several of them): the domain says it takes no mail, A records or not.
            return done(Replies.nullMx(domain));
        }
        List<Mx> mxs = shuffleEqual(byHost.values().stream()
                .sorted(Comparator.comparingInt(Mx::preference)).collect(Collectors.toList()));
        List<Mx> remote = dropSelf(mxs, mxs.stream().filter(m -> loops.isLocalName(m.host())).toList());
        if (remote.isEmpty()) {
            return done(Replies.loop(domain, mxs.get(0).host()));
        }
        String site = remote.stream().map(Mx::host).sorted().collect(Collectors.joining("+"));
        List<Mx> chosen = remote.subList(0, Math.min(maxMxHosts, remote.size()));
        List<CompletableFuture<HostResolver.Addresses>> pending = chosen.stream()
                .map(m -> hosts.resolve(m.host(), m.name())).toList();
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            List<HostResolver.Addresses> addresses = pending.stream().map(CompletableFuture::join).toList();
            return withAddresses(domain, site, chosen, addresses);
        });
    }

    private Route withAddresses(String domain, String site, List<Mx> chosen, List<HostResolver.Addresses> addresses) {
        List<Mx> local = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            if (loops.anyLocal(addresses.get(i).addresses())) {
                local.add(chosen.get(i));
            }
        }
        List<Mx> usable = dropSelf(chosen, local);
        if (usable.isEmpty()) {
            return Replies.loop(domain, local.get(0).host());
        }
        List<NextHop> hops = hops(usable, addresses.subList(0, usable.size()));
        if (!hops.isEmpty()) {
            return new Route.Hops(domain, site, hops);
        }
        List<HostResolver.Addresses> failed = addresses.subList(0, usable.size());
        String details = failed.stream().map(HostResolver.Addresses::detail).collect(Collectors.joining("; "));
        return failed.stream().anyMatch(HostResolver.Addresses::tempfail)
                ? Replies.dnsTrouble(domain, details) : Replies.noAddress(domain, details);
    }

    /** RFC 5321 §5.1: when we are an MX ourselves, only strictly more preferred hosts may be used. */
    private static List<Mx> dropSelf(List<Mx> sorted, List<Mx> local) {
        int selfPreference = local.stream().mapToInt(Mx::preference).min().orElse(Integer.MAX_VALUE);
        return sorted.stream().filter(m -> m.preference() < selfPreference).toList();
    }

    private static List<NextHop> hops(List<Mx> mxs, List<HostResolver.Addresses> addresses) {
        List<NextHop> hops = new ArrayList<>();
        for (int i = 0; i < mxs.size(); i++) {
            Mx mx = mxs.get(i);
            for (InetAddress address : addresses.get(i).addresses()) {
                hops.add(new NextHop(mx.host(), address, SMTP_PORT, mx.preference(), TlsPolicy.OPPORTUNISTIC, null));
            }
        }
        return hops;
    }

    /** Hosts of equal preference are tried in random order (RFC 5321 §5.1) to spread the load. */
    private List<Mx> shuffleEqual(List<Mx> sorted) {
        List<Mx> out = new ArrayList<>(sorted);
        int start = 0;
        while (start < out.size()) {
            int end = start;
            while (end < out.size() && out.get(end).preference() == out.get(start).preference()) {
                end++;
            }
            for (int i = end - 1; i > start; i--) {
                int j = start + random.applyAsInt(i - start + 1);
                out.set(i, out.set(j, out.get(i)));
            }
            start = end;
        }
        return out;
    }

    private static CompletableFuture<Route> done(Route route) {
        return CompletableFuture.completedFuture(route);
    }
}
