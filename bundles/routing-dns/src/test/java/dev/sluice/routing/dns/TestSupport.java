package dev.sluice.routing.dns;

import dev.sluice.testing.dns.TestDnsServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.sluice.api.routing.NextHop;
import dev.sluice.api.routing.Route;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Config instances, a settable clock and assertion shortcuts for the router tests. */
final class TestSupport {

    private TestSupport() {
    }

    /** A configuration annotation instance: the given values, the annotation's defaults for the rest. */
    static <A extends Annotation> A config(Class<A> type, Object... keyValues) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put((String) keyValues[i], keyValues[i + 1]);
        }
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, m, args) -> {
            if (values.containsKey(m.getName())) {
                return values.get(m.getName());
            }
            if (m.getDefaultValue() != null) {
                return m.getDefaultValue();
            }
            return switch (m.getName()) {
                case "annotationType" -> type;
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> type.getSimpleName() + values;
            };
        }));
    }

    /** Router settings for tests: our DNS server, short time-outs, no retries. */
    static DnsRouter.Config routerConfig(TestDnsServer dns, Object... more) {
        Object[] base = {"resolvers", new String[] {dns.resolver()}, "timeoutMillis", 300, "retries", 0};
        Object[] all = new Object[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return config(DnsRouter.Config.class, all);
    }

    static Route route(DnsRouter router, String domain) throws Exception {
        return router.route(domain).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static Route.Hops hops(Route route) {
        return assertInstanceOf(Route.Hops.class, route, () -> "expected hops, got " + route);
    }

    static void assertFailure(Route route, int code, String enhanced) {
        Route.Failure f = assertInstanceOf(Route.Failure.class, route, () -> "expected a failure, got " + route);
        assertEquals(code, f.reply().code(), f.reply()::toString);
        assertEquals(enhanced, f.reply().enhancedStatus(), f.reply()::toString);
    }

    /** "host/address:port/preference" for each hop, to compare whole routes at once. */
    static List<String> describe(Route.Hops hops) {
        return hops.hops().stream().map(TestSupport::describe).toList();
    }

    static String describe(NextHop h) {
        return h.host() + "/" + h.address().getHostAddress() + ":" + h.port() + "/" + h.preference();
    }

    /** A clock that only moves when the test says so. */
    static final class TestClock extends Clock {
        private final AtomicLong millis = new AtomicLong(1_000_000_000L);

        void advanceSeconds(long seconds) {
            millis.addAndGet(seconds * 1000);
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
