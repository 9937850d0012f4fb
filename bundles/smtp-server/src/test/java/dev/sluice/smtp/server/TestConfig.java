package dev.sluice.smtp.server;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** A {@link ListenerConfig} with the annotation defaults, a loopback ephemeral port, and overrides. */
final class TestConfig {

    private final Map<String, Object> values = new HashMap<>();

    static TestConfig loopback() {
        return new TestConfig().with("port", 0).with("address", "127.0.0.1").with("hostname", "mx.test")
                .with("tlsMode", "none").with("commitTimeoutSeconds", 10);
    }

    TestConfig with(String key, Object value) {
        values.put(key, value);
        return this;
    }

    ListenerConfig build() {
        Map<String, Object> copy = Map.copyOf(values);
        return (ListenerConfig) Proxy.newProxyInstance(ListenerConfig.class.getClassLoader(),
                new Class<?>[] {ListenerConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return ListenerConfig.class;
                    }
                    if (copy.containsKey(method.getName())) {
                        return copy.get(method.getName());
                    }
                    if (method.getDefaultValue() != null) {
                        return method.getDefaultValue();
                    }
                    return method.getName().equals("toString") ? "TestConfig" + copy
                            : method.getName().equals("hashCode") ? 0 : Boolean.FALSE;
                });
    }
}
