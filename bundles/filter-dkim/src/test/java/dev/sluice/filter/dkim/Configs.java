package dev.sluice.filter.dkim;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** A {@link DkimConfig} as DS would build it: the annotation's defaults, overridden by the given values. */
final class Configs {

    private Configs() {
    }

    static DkimConfig of(Object... keysAndValues) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return (DkimConfig) Proxy.newProxyInstance(DkimConfig.class.getClassLoader(), new Class<?>[] {DkimConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> DkimConfig.class;
                    case "toString" -> "DkimConfig" + values;
                    case "hashCode" -> values.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> values.containsKey(method.getName()) ? values.get(method.getName())
                            : method.getDefaultValue();
                });
    }
}
