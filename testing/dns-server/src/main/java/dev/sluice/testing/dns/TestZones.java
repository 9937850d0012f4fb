package dev.sluice.testing.dns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * The zones of ../shared/bench/README.md plus the extra corner cases the router tests need; tests may add
 * records while the server runs.
 */
public final class TestZones {

    public static final long TTL = 300;
    /** The SOA's MINIMUM, i.e. the negative-caching TTL. */
    public static final long NEGATIVE_TTL = 60;

    private static final String[] ZONE = {
        "example.test. MX 10 mx1.example.test.", "example.test. MX 20 mx2.example.test.",
        "mx1.example.test. A 127.0.0.1", "mx1.example.test. AAAA ::1", "mx2.example.test. A 127.0.0.2",
        "nullmx.test. MX 0 .", "nullmx.test. A 127.0.0.1",
        "nomx.test. A 127.0.0.1",
        "fallback.test. MX 10 dead.fallback.test.", "fallback.test. MX 20 live.fallback.test.",
        "dead.fallback.test. A 127.0.0.3", "live.fallback.test. A 127.0.0.1",
        "mxnoaddr.test. MX 10 nohost.mxnoaddr.test.",
        "cname.test. MX 10 alias.example.test.", "alias.example.test. CNAME mx1.example.test.",
        "trunc.test. MX 10 mx2.example.test.",
        "loop.test. MX 10 self.loop.test.", "loop.test. MX 20 mx2.example.test.", "self.loop.test. A 127.0.0.9",
        "partloop.test. MX 10 mx1.example.test.", "partloop.test. MX 20 self.loop.test.",
        "partloop.test. MX 30 mx2.example.test.",
        "loopaddr.test. MX 10 me.loopaddr.test.", "me.loopaddr.test. A 127.0.0.8",
        "equal.test. MX 10 a.equal.test.", "equal.test. MX 10 b.equal.test.", "equal.test. MX 10 c.equal.test.",
        "equal.test. MX 5 first.equal.test.",
        "a.equal.test. A 127.0.1.1", "b.equal.test. A 127.0.1.2", "c.equal.test. A 127.0.1.3",
        "first.equal.test. A 127.0.1.4",
        "many.test. MX 10 h1.many.test.", "many.test. MX 20 h2.many.test.", "many.test. MX 30 h3.many.test.",
        "many.test. MX 40 h4.many.test.", "h1.many.test. A 127.0.2.1", "h2.many.test. A 127.0.2.2",
        "h3.many.test. A 127.0.2.3", "h4.many.test. A 127.0.2.4",
        "shared.test. MX 10 mx2.example.test.", "shared.test. MX 5 mx1.example.test.",
        "xn--bcher-kva.test. MX 10 mx1.example.test.",
        "cnameloop.test. MX 10 a.cnameloop.test.",
        "a.cnameloop.test. CNAME b.cnameloop.test.", "b.cnameloop.test. CNAME a.cnameloop.test.",
        "mixednull.test. MX 0 .", "mixednull.test. MX 10 mx2.example.test.",
        "v6only.test. MX 10 six.v6only.test.", "six.v6only.test. AAAA ::1",
        "smarthost.test. A 127.0.0.5", "smarthost.test. AAAA ::1",
        "mxfail.test. MX 10 mx1.example.test.", "mxfail.test. MX 20 host.servfail.test.",
    };
    private static final Set<String> TRUNCATED = Set.of("trunc.test.");

    private final List<Record> records = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final SOARecord soa;

    public TestZones() {
        try {
            for (String line : ZONE) {
                add(line);
            }
            soa = new SOARecord(Name.fromString("test."), org.xbill.DNS.DClass.IN, 3600,
                    Name.fromString("ns.test."), Name.fromString("hostmaster.test."), 1, 3600, 600, 86400,
                    NEGATIVE_TTL);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds a record written as in the zone above, e.g. {@code "relay.test. MX 10 mx1.example.test."}. */
    public void add(String line) throws IOException {
        String[] f = line.split(" ", 3);
        records.add(Record.fromString(Name.fromString(f[0]), Type.value(f[1]), org.xbill.DNS.DClass.IN, TTL, f[2],
                Name.root));
    }

    /** The records of that type, or the CNAME alone (unchased, like Unbound's local-data). */
    List<Record> lookup(Name name, int type) {
        List<Record> out = new ArrayList<>();
        for (Record r : records) {
            if (r.getName().equals(name) && (r.getType() == type || r.getType() == Type.CNAME)) {
                out.add(r);
            }
        }
        return out;
    }

    boolean exists(Name name) {
        return records.stream().anyMatch(r -> r.getName().equals(name) || r.getName().subdomain(name));
    }

    boolean isBelow(Name name, String zone) {
        try {
            return name.subdomain(Name.fromString(zone));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean isTruncated(Name name) {
        return TRUNCATED.contains(name.toString().toLowerCase());
    }

    SOARecord soa() {
        return soa;
    }
}
