package dev.sluice.api.routing;

import dev.sluice.api.mail.Reply;
import java.util.List;
import java.util.Objects;

/** The answer of a {@link Router}: hosts to try, or why there are none. */
public sealed interface Route {

    /**
     * Hosts to try in order.
     *
     * @param destination the ASCII domain that was routed
     * @param site the traffic-shaping key: destinations sharing their MX hosts share a site
     *     (e.g. {@code mx1.example.net+mx2.example.net}); for static routes the route's name
     */
    record Hops(String destination, String site, List<NextHop> hops) implements Route {
        public Hops {
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(site, "site");
            hops = List.copyOf(hops);
            if (hops.isEmpty()) {
                throw new IllegalArgumentException("a route needs at least one hop (use Failure)");
            }
        }
    }

    /**
     * No host: a permanent failure (5xx: bounce, e.g. null MX 5.1.10, NXDOMAIN 5.1.2, loop 5.4.6) or a
     * temporary one (4xx: defer, e.g. SERVFAIL or timeout 4.4.3).
     */
    record Failure(Reply reply) implements Route {
        public Failure {
            Objects.requireNonNull(reply, "reply");
            if (reply.isPositive()) {
                throw new IllegalArgumentException("a routing failure needs a 4xx or 5xx reply");
            }
        }
    }
}
