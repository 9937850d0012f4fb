package dev.sluice.metrics;

import dev.sluice.api.metrics.Buckets;
import dev.sluice.api.metrics.Counter;
import dev.sluice.api.metrics.Metrics;
import dev.sluice.api.metrics.Timer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Metrics} service: the timers and counters other bundles resolve, written at scrape time after the
 * endpoint's own families. A family has at most {@value #MAX_SERIES} series; past that a producer that labels
 * with unbounded values gets handles that record nothing (logged once), rather than growing the heap and the scrape.
 */
@Component(service = {Metrics.class, MetricRegistry.class})
public class MetricRegistry implements Metrics {

    static final int MAX_SERIES = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(MetricRegistry.class);
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Comparator<List<String>> BY_VALUES = (a, b) -> Arrays.compare(
            a.toArray(String[]::new), b.toArray(String[]::new));

    /** One name: its type, help, label names and (for histograms) buckets, and its series by label values. */
    private record Family(String type, String help, List<String> labelNames, Buckets buckets,
                          Map<List<String>, Object> series, AtomicBoolean overflowLogged) {
    }

    private final Map<String, Family> families = new ConcurrentHashMap<>();

    @Override
    public Timer timer(String name, String help, Buckets buckets, String... labels) {
        Objects.requireNonNull(buckets, "buckets");
        Object series = series(name, "histogram", help, buckets, labels, () -> new Histogram(buckets));
        return series == null ? Timer.NONE : (Timer) series;
    }

    @Override
    public Counter counter(String name, String help, String... labels) {
        if (name == null || !name.endsWith("_total")) {
            throw new IllegalArgumentException("counter name must end in _total: " + name);
        }
        Object series = series(name, "counter", help, null, labels, SimpleCounter::new);
        return series == null ? Counter.NONE : (Counter) series;
    }

    private Object series(String name, String type, String help, Buckets buckets, String[] labels,
                          Supplier<Object> create) {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        check(name, type, labels, names, values);
        Family family = families.computeIfAbsent(name, n -> new Family(type, help == null ? "" : help,
                List.copyOf(names), buckets, new ConcurrentHashMap<>(), new AtomicBoolean()));
        if (!family.type().equals(type) || !family.labelNames().equals(names)
                || !Objects.equals(family.buckets(), buckets)) {
            throw new IllegalArgumentException("metric " + name + " is already a " + family.type() + " with labels "
                    + family.labelNames() + (family.buckets() == null ? "" : " and buckets " + family.buckets()));
        }
        List<String> key = List.copyOf(values);
        Object found = family.series().get(key);
        if (found != null) {
            return found;
        }
        synchronized (family) {
            if (family.series().size() >= MAX_SERIES && !family.series().containsKey(key)) {
                if (family.overflowLogged().compareAndSet(false, true)) {
                    LOG.warn("metric {} has {} series; further label values are not recorded (last: {})", name,
                            MAX_SERIES, key);
                }
                return null;
            }
            return family.series().computeIfAbsent(key, k -> create.get());
        }
    }

    private static void check(String name, String type, String[] labels, List<String> names, List<String> values) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a metric name: " + name);
        }
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException(name + ": labels come as name, value pairs");
        }
        for (int i = 0; i < labels.length; i += 2) {
            String label = labels[i];
            if (label == null || !LABEL.matcher(label).matches() || label.startsWith("__")
                    || type.equals("histogram") && label.equals("le") || names.contains(label)) {
                throw new IllegalArgumentException(name + ": not a usable label name: " + label);
            }
            names.add(label);
            values.add(labels[i + 1] == null ? "" : labels[i + 1]);
        }
    }

    /** Writes every family in name order, its series in label order; a name the endpoint wrote itself is skipped. */
    void write(PrometheusText text) {
        new TreeMap<>(families).forEach((name, family) -> {
            if (text.has(name)) {
                LOG.debug("metric {} is written by the endpoint itself; the registered one is left out", name);
                return;
            }
            text.family(name, family.type(), family.help());
            Map<List<String>, Object> sorted = new TreeMap<>(BY_VALUES);
            sorted.putAll(family.series());
            sorted.forEach((values, series) -> {
                String[] labels = new String[values.size() * 2];
                for (int i = 0; i < values.size(); i++) {
                    labels[2 * i] = family.labelNames().get(i);
                    labels[2 * i + 1] = values.get(i);
                }
                if (series instanceof Histogram h) {
                    h.write(text, name, labels);
                } else {
                    text.sample(name, ((SimpleCounter) series).value(), labels);
                }
            });
        });
    }
}
