package dev.sluice.filter.suppression;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** A {@link SuppressionConfig} with the annotation defaults and some overrides. */
final class TestConfig {

    private TestConfig() {
    }

    static SuppressionConfig with(Object... keysAndValues) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return (SuppressionConfig) Proxy.newProxyInstance(SuppressionConfig.class.getClassLoader(),
                new Class<?>[] {SuppressionConfig.class},
                (proxy, method, args) -> values.getOrDefault(method.getName(), method.getDefaultValue()));
    }
}
