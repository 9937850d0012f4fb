package dev.sluice.routing.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;

/** Builds this router's own resolver; dnsjava's static default resolver is never touched. */
final class Resolvers {

    private static final int DNS_PORT = 53;

    private Resolvers() {
    }

    /**
     * @param servers {@code ip}, {@code ip:port} or {@code [ipv6]:port}; empty: the system's resolvers
     *     ({@code /etc/resolv.conf} and the other sources dnsjava's ResolverConfig reads)
     * @param retries further attempts per server after the first
     */
    static Resolver create(String[] servers, Duration timeout, int retries) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String s : servers) {
            if (s.isBlank()) {
                continue;
            }
            HostPort hp = HostPort.parse("resolvers", s, DNS_PORT);
            if (hp.address() == null) {
                // The resolver's own name would need a resolver to look it up.
                throw new IllegalArgumentException("resolvers: '" + s + "' must be an IP address, not a name");
            }
            addresses.add(new InetSocketAddress(hp.address(), hp.port()));
        }
        if (addresses.isEmpty()) {
            addresses.addAll(new ResolverConfig().servers());
        }
        List<Resolver> simple = new ArrayList<>();
        for (InetSocketAddress a : addresses) {
            SimpleResolver r = new SimpleResolver(a);
            r.setTimeout(timeout);
            simple.add(r);
        }
        ExtendedResolver resolver = new ExtendedResolver(simple);
        resolver.setRetries(retries + 1);
        // The overall limit only stops further attempts; each attempt has its own timeout above.
        resolver.setTimeout(timeout.multipliedBy((long) (retries + 1) * simple.size()).plusMillis(100));
        return resolver;
    }

    static String describe(Resolver resolver) {
        List<String> out = new ArrayList<>();
        for (Resolver r : ((ExtendedResolver) resolver).getResolvers()) {
            InetAddress a = ((SimpleResolver) r).getAddress().getAddress();
            out.add(a.getHostAddress() + ":" + ((SimpleResolver) r).getAddress().getPort());
        }
        return String.join(", ", out);
    }
}
