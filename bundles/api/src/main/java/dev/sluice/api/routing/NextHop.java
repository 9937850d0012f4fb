package dev.sluice.api.routing;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One host to try, already resolved to one address (a host with an A and an AAAA record gives two hops).
 *
 * @param host the MX or smarthost name (or the literal) as the route named it, used for TLS name checks
 * @param address the address to connect to
 * @param preference the MX preference (lower first); 0 for static routes
 * @param credentials AUTH credentials, or null
 */
public record NextHop(String host, InetAddress address, int port, int preference, TlsPolicy tls,
                      Credentials credentials) {

    public NextHop {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(tls, "tls");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    @Override
    public String toString() {
        return host + "[" + address.getHostAddress() + "]:" + port;
    }
}
