package dev.sluice.ratelimit;

import dev.sluice.api.ratelimit.EgressSource;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks an egress source by weight among the sources of a pool that still have warm-up budget for the site today;
 * when the pool has none left, the other pools' sources take the overflow. Warm-up counts are shared by every node
 * through the gate when it shares (a source warms up once, not once per node); otherwise, and while Redis is
 * unreachable, each node counts on its own and assumes the others send as much as it does meanwhile.
 */
final class SourceSelector {

    private static final Logger LOG = LoggerFactory.getLogger(SourceSelector.class);

    private volatile EgressSource fallback;
    private final Supplier<RandomGenerator> random;
    private volatile List<SourceSpec> sources = List.of();
    private volatile Map<String, SourceSpec> byName = Map.of();
    private final ConcurrentHashMap<String, DayCount> sent = new ConcurrentHashMap<>();
    private final AtomicLong sweptDay = new AtomicLong();

    /** One source's warm-up count for one site on one day, as this node knows it. */
    private static final class DayCount {
        final long day;
        final String key;
        /** Counted by this node today, shared or not: its part of the shared count. */
        private long mine;
        /** Counted while nothing was shared: still to be added to the shared count. */
        private long unshared;
        /** The shared total last seen, and this node's count at that moment. */
        private long seen;
        private long mineWhenSeen;

        DayCount(long day, String key) {
            this.day = day;
            this.key = key;
        }

        /**
         * Counts one message against {@code budget}. With a shared answer that is the verdict; without one this
         * node assumes that each of the {@code nodes} has sent as many as it has since it last saw the shared total,
         * so that together they stay within the budget (and one node alone gets its share of what was left).
         *
         * @param shared {counted, total} from the shared counter, or null when there is none
         */
        synchronized boolean count(long[] shared, long budget, int nodes) {
            if (shared != null) {
                mine += shared[0];
                seen = shared[1];
                mineWhenSeen = mine;
                return shared[0] == 1;
            }
            if (seen + (mine - mineWhenSeen) * nodes >= budget) {
                return false;
            }
            mine++;
            unshared++;
            return true;
        }

        synchronized long mine() {
            return mine;
        }

        /** Writes what this node counted on its own into the shared count; false when that failed (kept for later). */
        boolean share(RateGate gate, Duration ttl) {
            long add;
            long all;
            synchronized (this) {
                add = unshared;
                all = mine;
                unshared = 0;
            }
            // part + add when Redis kept the part; all of this node's count when a restart lost it
            if (gate.restoreCount(key, add, all, ttl)) {
                return true;
            }
            synchronized (this) {
                unshared += add;
            }
            return false;
        }

        synchronized boolean hasUnshared() {
            return unshared > 0;
        }
    }

    SourceSelector(EgressSource fallback, Supplier<RandomGenerator> random) {
        this.fallback = fallback;
        this.random = random;
    }

    void setSources(List<SourceSpec> specs) {
        Map<String, SourceSpec> names = new HashMap<>();
        specs.forEach(s -> names.putIfAbsent(s.name(), s));
        this.byName = Map.copyOf(names);
        this.sources = List.copyOf(specs);
    }

    /** The sending window of the source with this name; always open for the default source or an unknown one. */
    SendingWindow window(String source) {
        SourceSpec s = byName.get(source);
        return s == null ? SendingWindow.ALWAYS : s.window();
    }

    void setFallback(EgressSource fallback) {
        this.fallback = fallback;
    }

    EgressSource fallback() {
        return fallback;
    }

    /**
     * Sources dedicated to the sender's domain come first, then those serving every sender; within each, the pool
     * named by the site's rule before the other pools. The first group with warm-up budget left gets the message,
     * from a source whose window is open if it has one; a closed one keeps it (it waits for its window) rather than
     * another group, because a window says when that traffic may go, not that someone else should carry it.
     *
     * @param pool the pool named by the site's rule, or empty for the pool called {@code default}
     * @param senderDomain the envelope sender's domain, or null for the null sender
     */
    EgressSource choose(String site, String pool, String senderDomain, Instant now, RateGate gate) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<SourceSpec> all = sources;
        sweep(today);
        String wanted = pool.isEmpty() ? "default" : pool;
        List<SourceSpec> dedicated = all.stream().filter(s -> s.dedicatedTo(senderDomain)).toList();
        List<SourceSpec> shared = all.stream().filter(s -> s.senderDomains().isEmpty()).toList();
        List<List<SourceSpec>> groups = new ArrayList<>();
        for (List<SourceSpec> g : List.of(dedicated, shared)) {
            groups.add(g.stream().filter(s -> s.pool().equals(wanted)).toList());
            groups.add(g.stream().filter(s -> !s.pool().equals(wanted)).toList());
        }
        List<SourceSpec> first = null;
        for (List<SourceSpec> g : groups) {
            if (g.isEmpty()) {
                continue;
            }
            first = first == null ? g : first;
            List<SourceSpec> open = g.stream().filter(s -> s.window().isOpen(now)).toList();
            SourceSpec chosen = pick(open, site, today, now, gate);
            if (chosen == null && open.size() < g.size()) {
                chosen = pick(g.stream().filter(s -> !open.contains(s)).toList(), site, today, now, gate);
            }
            if (chosen != null) {
                return chosen.egress();
            }
        }
        if (first == null) {
            return fallback; // no source configured, or every one is dedicated to other senders
        }
        // every source is at its warm-up budget; a message must still go somewhere, so take the weights alone
        LOG.debug("ratelimit: every source is at its warm-up budget for {} today", site);
        return byWeight(first).egress();
    }

    private SourceSpec pick(List<SourceSpec> candidates, String site, LocalDate today, Instant now, RateGate gate) {
        List<SourceSpec> open = new ArrayList<>(candidates);
        while (!open.isEmpty()) {
            SourceSpec s = byWeight(open);
            if (consume(s, site, today, now, gate)) {
                return s;
            }
            open.remove(s);
        }
        return null;
    }

    private SourceSpec byWeight(List<SourceSpec> list) {
        int total = list.stream().mapToInt(SourceSpec::weight).sum();
        int r = random.get().nextInt(total);
        for (SourceSpec s : list) {
            r -= s.weight();
            if (r < 0) {
                return s;
            }
        }
        return list.get(list.size() - 1);
    }

    private boolean consume(SourceSpec s, String site, LocalDate today, Instant now, RateGate gate) {
        long budget = s.dailyBudget(today);
        if (budget < 0) {
            return true;
        }
        long day = today.toEpochDay();
        DayCount c = sent.compute(s.name() + "|" + site,
                (k, v) -> v == null || v.day != day ? new DayCount(day, "warm|" + day + "|" + k) : v);
        long[] shared = gate.countUpTo(c.key, budget, keep(today, now));
        boolean counted = c.count(shared, budget, gate.nodes());
        if (shared != null && c.hasUnshared()) {
            c.share(gate, keep(today, now)); // counted alone during a recovery: late, but not lost
        }
        return counted;
    }

    /** A day's counter is kept until the end of the next day (UTC): nodes' clocks may differ a little. */
    private static Duration keep(LocalDate today, Instant now) {
        return Duration.between(now, today.plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /**
     * Sharing is back: writes this node's part of today's counts again, with what it counted meanwhile (and what a
     * Redis restarted without persistence lost), so the shared totals include them.
     */
    void restore(RateGate gate, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        long day = today.toEpochDay();
        for (DayCount c : sent.values()) {
            if (c.day == day && c.mine() > 0 && !c.share(gate, keep(today, now))) {
                return; // gone again: the next return restores them
            }
        }
    }

    /** Messages {@code source} has sent to {@code site} on {@code today}'s warm-up budget, from this node. */
    long sentToday(String source, String site, LocalDate today) {
        DayCount c = sent.get(source + "|" + site);
        return c == null || c.day != today.toEpochDay() ? 0 : c.mine();
    }

    private void sweep(LocalDate today) {
        long day = today.toEpochDay();
        long last = sweptDay.get();
        if (last != day && sweptDay.compareAndSet(last, day)) {
            sent.values().removeIf(c -> c.day != day);
        }
    }
}
