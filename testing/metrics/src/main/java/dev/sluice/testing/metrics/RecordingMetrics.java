package dev.sluice.testing.metrics;

import dev.sluice.api.metrics.Buckets;
import dev.sluice.api.metrics.Counter;
import dev.sluice.api.metrics.Metrics;
import dev.sluice.api.metrics.Timer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A metrics service that keeps every observation by name and labels, for asserting what was recorded. */
public final class RecordingMetrics implements Metrics {

    private final Map<String, List<Long>> observations = new ConcurrentHashMap<>();

    @Override
    public Timer timer(String name, String help, Buckets buckets, String... labels) {
        List<Long> list = observations.computeIfAbsent(name + List.of(labels), k -> new CopyOnWriteArrayList<>());
        return list::add;
    }

    @Override
    public Counter counter(String name, String help, String... labels) {
        List<Long> list = observations.computeIfAbsent(name + List.of(labels), k -> new CopyOnWriteArrayList<>());
        return () -> list.add(1L);
    }

    /** The durations recorded (or 1 per increment) for this series. */
    public List<Long> get(String name, String... labels) {
        return observations.getOrDefault(name + List.of(labels), List.of());
    }
}
