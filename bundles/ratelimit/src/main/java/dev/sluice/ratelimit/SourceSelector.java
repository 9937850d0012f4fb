package dev.sluice.ratelimit;

import dev.sluice.api.ratelimit.EgressSource;
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
 * when the pool has none left, the other pools' sources take the overflow.
 */
final class SourceSelector {

    private static final Logger LOG = LoggerFactory.getLogger(SourceSelector.class);

    private volatile EgressSource fallback;
    private final Supplier<RandomGenerator> random;
    private volatile List<SourceSpec> sources = List.of();
    private volatile Map<String, SourceSpec> byName = Map.of();
    private final ConcurrentHashMap<String, DayCount> sent = new ConcurrentHashMap<>();
    private final AtomicLong sweptDay = new AtomicLong();

    private record DayCount(long day, AtomicLong count) { }

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
    EgressSource choose(String site, String pool, String senderDomain, Instant now) {
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
            SourceSpec chosen = pick(open, site, today);
            if (chosen == null && open.size() < g.size()) {
                chosen = pick(g.stream().filter(s -> !open.contains(s)).toList(), site, today);
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

    private SourceSpec pick(List<SourceSpec> candidates, String site, LocalDate today) {
        List<SourceSpec> open = new ArrayList<>(candidates);
        while (!open.isEmpty()) {
            SourceSpec s = byWeight(open);
            if (consume(s, site, today)) {
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

    private boolean consume(SourceSpec s, String site, LocalDate today) {
        long budget = s.dailyBudget(today);
        if (budget < 0) {
            return true;
        }
        long day = today.toEpochDay();
        DayCount c = sent.compute(s.name() + "|" + site,
                (k, v) -> v == null || v.day() != day ? new DayCount(day, new AtomicLong()) : v);
        while (true) {
            long n = c.count().get();
            if (n >= budget) {
                return false;
            }
            if (c.count().compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Messages {@code source} has sent to {@code site} on {@code today}'s warm-up budget. */
    long sentToday(String source, String site, LocalDate today) {
        DayCount c = sent.get(source + "|" + site);
        return c == null || c.day() != today.toEpochDay() ? 0 : c.count().get();
    }

    private void sweep(LocalDate today) {
        long day = today.toEpochDay();
        long last = sweptDay.get();
        if (last != day && sweptDay.compareAndSet(last, day)) {
            sent.values().removeIf(c -> c.day() != day);
        }
    }
}
