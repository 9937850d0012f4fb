package dev.sluice.dsn;

import java.lang.reflect.Proxy;
import java.util.Map;

/** Makes instances of configuration annotations: the given values, else each attribute's default. */
final class Configs {

    private Configs() {
    }

    static <A> A of(Class<A> type, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> type;
                    case "toString" -> type.getSimpleName() + values;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> values.containsKey(method.getName()) ? values.get(method.getName())
                            : method.getDefaultValue();
                }));
    }
}
