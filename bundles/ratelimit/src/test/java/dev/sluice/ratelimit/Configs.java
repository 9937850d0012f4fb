package dev.sluice.ratelimit;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** Makes a component's {@code Config} annotation from a few values; every other attribute keeps its default. */
final class Configs {

    private Configs() {
    }

    static <A> A of(Class<A> type, Object... keyValues) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put((String) keyValues[i], keyValues[i + 1]);
        }
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            if (values.containsKey(m.getName())) {
                return values.get(m.getName());
            }
            if (m.getDefaultValue() != null) {
                return m.getDefaultValue();
            }
            return switch (m.getName()) {
                case "annotationType" -> type;
                case "toString" -> type.getSimpleName() + values;
                case "hashCode" -> values.hashCode();
                case "equals" -> p == args[0];
                default -> throw new IllegalStateException("no value for " + m.getName());
            };
        });
        return type.cast(proxy);
    }

    static ShapingRule rule(Object... keyValues) {
        return RuleComponent.from(of(RuleComponent.Config.class, keyValues));
    }
}
