package dev.sluice.routing.dns;

import dev.sluice.api.metrics.Buckets;
import dev.sluice.api.metrics.Counter;
import dev.sluice.api.metrics.Metrics;
import dev.sluice.api.metrics.Timer;
import java.util.Locale;
import org.xbill.DNS.Type;

/** Query timings by record type and result, and cache hits and misses, resolved once per metrics service. */
final class DnsTimings {

    /** How one query to the resolver ended. */
    enum Result {
        /** NOERROR, with or without records of the type. */
        OK, NXDOMAIN, SERVFAIL, TIMEOUT,
        /** Another rcode (REFUSED …), an unreachable resolver or a malformed answer. */
        ERROR
    }

    private static final int[] TYPES = {Type.A, Type.AAAA, Type.MX};
    static final DnsTimings NONE = new DnsTimings(Metrics.NONE);

    private final Metrics source;
    /** [type index, with "other" last][result], resolved on first use: most of the 20 series never occur. */
    private final Timer[][] queries = new Timer[TYPES.length + 1][Result.values().length];
    private final Counter hits;
    private final Counter misses;

    DnsTimings(Metrics metrics) {
        this.source = metrics;
        hits = metrics.counter("sluice_dns_cache_hits_total", "DNS questions answered from the cache.");
        misses = metrics.counter("sluice_dns_cache_misses_total", "DNS questions not in the cache (asked, or "
                + "joined to the same question already being asked).");
    }

    Metrics source() {
        return source;
    }

    void query(int type, Result result, long nanos) {
        int t = 0;
        while (t < TYPES.length && TYPES[t] != type) {
            t++;
        }
        Timer timer = queries[t][result.ordinal()];
        if (timer == null) {
            // Two threads may both resolve it: the service gives both the same series.
            timer = source.timer("sluice_dns_query_seconds", "DNS queries sent to the resolver, by record type and "
                    + "result (CNAME targets count as queries of the same type).", Buckets.LATENCY,
                    "type", t < TYPES.length ? Type.string(TYPES[t]) : "other", "result",
                    result.name().toLowerCase(Locale.ROOT));
            queries[t][result.ordinal()] = timer;
        }
        timer.record(nanos);
    }

    void cache(boolean hit) {
        (hit ? hits : misses).increment();
    }
}
