package dev.sluice.ratelimit;

import dev.sluice.api.mail.Reply;
import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.ratelimit.PathLimits;
import dev.sluice.api.ratelimit.Suspension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adaptive backoff and operator suspensions. Every change is logged at WARN and kept as a visible record that
 * expires by itself, because operators of the leading MTAs complain they can neither see nor undo them. With a
 * shared gate, records go to every node: a node adopts newer ones and drops shared ones that were resumed elsewhere.
 */
final class Backoff {

    private static final Logger LOG = LoggerFactory.getLogger(Backoff.class);
    static final String SITE_WIDE = "*";

    private record Manual(Suspension suspension, boolean shared) { }

    /** The configured rules, and the built-in ones no configured rule replaces by name. */
    private record Rules(List<BackoffRule> configured, List<BackoffRule> builtins) { }

    private volatile Rules rules;
    private final ConcurrentHashMap<String, Manual> manual = new ConcurrentHashMap<>();
    private final SharedSuspensions shared = new SharedSuspensions(new LocalRateGate());

    Backoff(List<BackoffRule> configured, List<BackoffRule> builtins) {
        setRules(configured, builtins);
    }

    void setRules(List<BackoffRule> configured, List<BackoffRule> builtins) {
        this.rules = new Rules(List.copyOf(configured), List.copyOf(builtins));
    }

    SharedSuspensions shared() {
        return shared;
    }

    /**
     * Counts the reply against every rule it matches and applies the one that reaches its threshold: a configured
     * rule before a built-in default (the operator wrote it for this reply), and within each a suspension before a
     * throttle. One reply of a path at a time: the replies of two connections arrive at once (two refused
     * greetings), and each deciding on its own would see only part of the counts, or put its throttle over the
     * suspension the other has just applied.
     */
    void onReply(PathState s, Reply reply, Instant now, PathLimits base) {
        String text = reply.toString();
        Rules r = rules;
        Adjustment next;
        BackoffRule fired;
        synchronized (s.backoffDecision) {
            BackoffRule configured = counted(s, r.configured(), text, now);
            BackoffRule builtin = counted(s, r.builtins(), text, now);
            fired = configured != null ? configured : builtin;
            if (fired == null) {
                return;
            }
            Adjustment current = active(s, now, base);
            if (current != null && current.suspends()) {
                return; // replies from connections that were already open; the suspension stands
            }
            PathLimits effective = current == null ? base : current.limitsAt(now, base);
            next = fired.suspends() ? Adjustment.suspend(s.key, fired, reply, now)
                    : Adjustment.throttle(s.key, fired, reply, now, effective);
            if (shared.publish(s.key.site(), s.key.source(), Records.encode(next), now, next.until(base))) {
                next = next.asShared();
            }
            s.adjustment.set(next);
        }
        Suspension v = next.visible(now, base);
        LOG.warn("ratelimit: backoff rule '{}' matched '{}' on {}: {} since {} until {}", fired.name(), reply,
                s.key, v.action(), v.since(), v.until());
    }

    /** Counts the reply against each rule it matches; of those that fire: the first suspension, else the first. */
    private static BackoffRule counted(PathState s, List<BackoffRule> rules, String text, Instant now) {
        BackoffRule fired = null;
        for (BackoffRule r : rules) {
            boolean fires = r.appliesTo(s.key.site()) && r.matches(text)
                    && s.countMatch(r.name(), now, r.triggerCount(), r.triggerWindow());
            if (fires && (fired == null || r.suspends() && !fired.suspends())) {
                fired = r;
            }
        }
        return fired;
    }

    /** The path's automatic adjustment in force at {@code now}, or null; an expired one is dropped here. */
    Adjustment active(PathState s, Instant now, PathLimits base) {
        Adjustment a = s.adjustment.get();
        Map<String, String> view = shared.view(s.key.site(), now);
        if (view != null) {
            String record = view.get(s.key.source());
            Adjustment remote = record == null ? null : Records.adjustment(s.key, record);
            if (remote != null && now.isBefore(remote.until(base)) && (a == null || remote.since().isAfter(a.since()))
                    && s.adjustment.compareAndSet(a, remote)) {
                LOG.warn("ratelimit: backoff rule '{}' on {} applied by another node: {} until {}",
                        remote.rule().name(), s.key, remote.visible(now, base).action(), remote.until(base));
                a = remote;
            } else if (record == null && a != null && a.shared() && s.adjustment.compareAndSet(a, null)) {
                LOG.warn("ratelimit: backoff rule '{}' on {} was cancelled on another node", a.rule().name(), s.key);
                return null;
            }
        }
        if (a != null && !now.isBefore(a.until(base))) {
            if (s.adjustment.compareAndSet(a, null)) {
                LOG.warn("ratelimit: backoff rule '{}' on {} ended at {}: back to {} connections, {}", a.rule().name(),
                        s.key, now, base.maxConnections(), base.messageRate());
            }
            return null;
        }
        return a;
    }

    /** The operator suspension of a site in force at {@code now}, or null. */
    Suspension manual(String site, Instant now) {
        Manual m = manual.get(site);
        Map<String, String> view = shared.view(site, now);
        if (view != null) {
            String record = view.get(SITE_WIDE);
            Suspension remote = record == null ? null : Records.manual(site, record);
            if (remote != null && now.isBefore(remote.until())
                    && (m == null || remote.since().isAfter(m.suspension().since()))) {
                Manual adopted = new Manual(remote, true);
                if (m == null ? manual.putIfAbsent(site, adopted) == null : manual.replace(site, m, adopted)) {
                    LOG.warn("ratelimit: {} suspended by the operator on another node until {}", site, remote.until());
                }
                m = adopted;
            } else if (record == null && m != null && m.shared() && manual.remove(site, m)) {
                LOG.warn("ratelimit: operator suspension of {} was resumed on another node", site);
                return null;
            }
        }
        if (m != null && !now.isBefore(m.suspension().until())) {
            if (manual.remove(site, m)) {
                LOG.warn("ratelimit: operator suspension of {} ended at {}", site, now);
            }
            return null;
        }
        return m == null ? null : m.suspension();
    }

    Suspension suspend(String site, Duration duration, String reason, Instant now) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("a suspension needs a positive duration, was " + duration);
        }
        Suspension s = new Suspension(new PathKey(site, SITE_WIDE), "operator", null, now, now.plus(duration),
                "suspend: " + (reason == null || reason.isBlank() ? "no reason given" : reason));
        manual.put(site, new Manual(s, shared.publish(site, SITE_WIDE, Records.encode(s), now, s.until())));
        LOG.warn("ratelimit: operator suspended {} since {} until {} ({})", site, s.since(), s.until(), s.action());
        return s;
    }

    /** Cancels the site's operator suspension and the automatic adjustments of {@code paths}, on every node. */
    boolean resume(String site, Iterable<PathState> paths, Instant now) {
        boolean any = manual.remove(site) != null;
        Map<String, String> view = shared.view(site, now);
        any |= view != null && !view.isEmpty();
        shared.drop(site);
        for (PathState p : paths) {
            Adjustment a = p.adjustment.getAndSet(null);
            p.forgetMatches();
            if (a != null) {
                any = true;
                LOG.warn("ratelimit: operator cancelled backoff rule '{}' on {} at {}", a.rule().name(), p.key, now);
            }
        }
        if (any) {
            LOG.warn("ratelimit: operator resumed {} at {}", site, now);
        }
        return any;
    }

    Iterable<Suspension> manualSuspensions() {
        return manual.values().stream().map(Manual::suspension).toList();
    }
}
