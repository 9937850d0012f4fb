package dev.sluice.routing.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.function.Function;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Asks one DNS question without blocking a thread (dnsjava's {@code sendAsync}), chases CNAMEs the
 * server did not follow, caches the outcome and merges concurrent identical questions into one query.
 */
final class DnsLookup {

    static final int MAX_CNAME_HOPS = 8;

    /** TTL caps in seconds: positive answers, NXDOMAIN/NODATA, and SERVFAIL/time-outs. */
    record TtlLimits(long maxTtl, long negativeMaxTtl, long failureTtl) { }

    private final Resolver resolver;
    private final Executor executor;
    private final DnsCache cache;
    private final TtlLimits limits;
    private final Supplier<DnsTimings> timings;
    private final ConcurrentHashMap<DnsCache.Key, CompletableFuture<Answer>> inFlight = new ConcurrentHashMap<>();

    DnsLookup(Resolver resolver, Executor executor, DnsCache cache, TtlLimits limits, Supplier<DnsTimings> timings) {
        this.resolver = resolver;
        this.executor = executor;
        this.cache = cache;
        this.limits = limits;
        this.timings = timings;
    }

    /** Never completes exceptionally: DNS trouble is an {@link Answer.Status#TEMPFAIL} answer. */
    CompletableFuture<Answer> lookup(Name name, int type) {
        DnsCache.Key key = new DnsCache.Key(name, type);
        Answer cached = cache.get(key);
        timings.get().cache(cached != null);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        CompletableFuture<Answer> mine = new CompletableFuture<>();
        CompletableFuture<Answer> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return running;
        }
        query(name, type, 0).whenComplete((answer, error) -> {
            Answer result = error == null ? answer : failure(error);
            cache.put(key, result);
            inFlight.remove(key, mine);
            mine.complete(result);
        });
        return mine;
    }

    /** CNAME targets bypass the in-flight map: a CNAME loop would otherwise wait on itself forever. */
    private CompletableFuture<Answer> chase(Name name, int type, int hops) {
        Answer cached = cache.get(new DnsCache.Key(name, type));
        timings.get().cache(cached != null);
        return cached != null ? CompletableFuture.completedFuture(cached) : query(name, type, hops);
    }

    private CompletableFuture<Answer> query(Name name, int type, int hops) {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        long start = System.nanoTime();
        try {
            return resolver.sendAsync(query, executor).toCompletableFuture()
                    .handle((response, error) -> {
                        timings.get().query(type, result(response, error), System.nanoTime() - start);
                        return error != null ? CompletableFuture.completedFuture(failure(error))
                                : interpret(name, type, response, hops);
                    })
                    .thenCompose(Function.identity());
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(e));
        }
    }

    private CompletableFuture<Answer> interpret(Name name, int type, Message response, int hops) {
        int rcode = response.getRcode();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            return done(Answer.tempfail("server answered " + Rcode.string(rcode), limits.failureTtl()));
        }
        List<Record> answers = response.getSection(Section.ANSWER);
        Name current = name;
        long ttl = limits.maxTtl();
        for (int hop = hops; hop <= MAX_CNAME_HOPS; hop++) {
            List<Record> found = new ArrayList<>();
            Record cname = null;
            for (Record r : answers) {
                if (r.getDClass() == DClass.IN && r.getName().equals(current)) {
                    if (r.getType() == type) {
                        found.add(r);
                        ttl = Math.min(ttl, r.getTTL());
                    } else if (r.getType() == Type.CNAME && cname == null) {
                        cname = r;
                    }
                }
            }
            if (!found.isEmpty()) {
                return done(Answer.ok(found, ttl));
            }
            if (cname == null) {
                if (current.equals(name)) {
                    Answer.Status status = rcode == Rcode.NXDOMAIN ? Answer.Status.NXDOMAIN : Answer.Status.NODATA;
                    return done(Answer.negative(status, negativeTtl(response)));
                }
                if (rcode == Rcode.NXDOMAIN) {
                    return done(Answer.negative(Answer.Status.NXDOMAIN, negativeTtl(response)));
                }
                // Some servers (Unbound local-data) answer with the CNAME only: ask for the target.
                long chainTtl = ttl;
                Name target = current;
                int next = hop + 1;
                return next > MAX_CNAME_HOPS ? done(tooLong(name))
                        : chase(target, type, next).thenApply(a -> a.withTtl(Math.min(a.ttlSeconds(), chainTtl)));
            }
            ttl = Math.min(ttl, cname.getTTL());
            current = ((CNAMERecord) cname).getTarget();
        }
        return done(tooLong(name));
    }

    private static DnsTimings.Result result(Message response, Throwable error) {
        if (error != null) {
            Throwable t = error;
            while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
                t = t.getCause();
            }
            return Answer.timedOut(t) ? DnsTimings.Result.TIMEOUT : DnsTimings.Result.ERROR;
        }
        return switch (response.getRcode()) {
            case Rcode.NOERROR -> DnsTimings.Result.OK;
            case Rcode.NXDOMAIN -> DnsTimings.Result.NXDOMAIN;
            case Rcode.SERVFAIL -> DnsTimings.Result.SERVFAIL;
            default -> DnsTimings.Result.ERROR;
        };
    }

    private Answer tooLong(Name name) {
        return Answer.tempfail("CNAME chain of " + name + " longer than " + MAX_CNAME_HOPS, limits.failureTtl());
    }

    /** RFC 2308: the negative TTL is the smaller of the SOA's TTL and its MINIMUM; no SOA, no caching. */
    private long negativeTtl(Message response) {
        for (Record r : response.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord soa) {
                return Math.min(limits.negativeMaxTtl(), Math.min(soa.getTTL(), soa.getMinimum()));
            }
        }
        return 0;
    }

    private Answer failure(Throwable error) {
        return Answer.fromError(error, limits.failureTtl());
    }

    private static CompletableFuture<Answer> done(Answer answer) {
        return CompletableFuture.completedFuture(answer);
    }
}
