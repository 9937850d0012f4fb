package dev.sluice.smtp.server;

import dev.sluice.api.filter.FilterProperties;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** A dynamic set of whiteboard services ordered by service.ranking (highest first), with filter properties. */
final class RankedServices<T> {

    record Entry<T>(T service, String name, int ranking, long id, long timeoutMillis, boolean failOpen) {
    }

    private static final Comparator<Entry<?>> ORDER =
            Comparator.<Entry<?>>comparingInt(e -> -e.ranking()).thenComparingLong(Entry::id);

    private volatile List<Entry<T>> entries = List.of();

    synchronized void add(T service, Map<String, ?> properties) {
        List<Entry<T>> next = new ArrayList<>(entries);
        next.removeIf(e -> e.service() == service);
        next.add(new Entry<>(service, name(service, properties), intProperty(properties.get("service.ranking"), 0),
                longProperty(properties.get("service.id"), 0),
                longProperty(properties.get(FilterProperties.TIMEOUT_MILLIS), FilterProperties.DEFAULT_TIMEOUT_MILLIS),
                FilterProperties.FAIL_OPEN.equals(String.valueOf(properties.get(FilterProperties.FAILURE_MODE)).strip())));
        next.sort(ORDER);
        entries = List.copyOf(next);
    }

    synchronized void remove(T service) {
        List<Entry<T>> next = new ArrayList<>(entries);
        next.removeIf(e -> e.service() == service);
        entries = List.copyOf(next);
    }

    List<Entry<T>> snapshot() {
        return entries;
    }

    boolean contains(T service) {
        return entries.stream().anyMatch(e -> e.service() == service);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    private static String name(Object service, Map<String, ?> properties) {
        Object name = properties.get(FilterProperties.NAME);
        if (name == null) {
            name = properties.get("component.name");
        }
        return name == null ? service.getClass().getName() : name.toString();
    }

    private static int intProperty(Object value, int fallback) {
        return value instanceof Integer i ? i : fallback;
    }

    private static long longProperty(Object value, long fallback) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof String s) {
            try {
                return Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }
}
