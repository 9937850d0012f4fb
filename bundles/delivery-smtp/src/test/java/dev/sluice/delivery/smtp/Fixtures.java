package dev.sluice.delivery.smtp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.delivery.DeliveryReport;
import dev.sluice.api.delivery.DeliveryRequest;
import dev.sluice.api.mail.BodyType;
import dev.sluice.api.mail.ClientIdentity;
import dev.sluice.api.mail.DsnReturn;
import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.MailAddress;
import dev.sluice.api.mail.MessageContent;
import dev.sluice.api.mail.QueueId;
import dev.sluice.api.mail.Recipient;
import dev.sluice.api.mail.ReversePath;
import dev.sluice.api.ratelimit.EgressSource;
import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.routing.Credentials;
import dev.sluice.api.routing.NextHop;
import dev.sluice.api.routing.Route;
import dev.sluice.api.routing.TlsPolicy;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Builders for configs, requests and hops used by the tests. */
final class Fixtures {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final EgressSource SOURCE = new EgressSource("default", LOOPBACK, "sluice.test");
    static final PathKey PATH = new PathKey("mx.test", "default");

    private Fixtures() {
    }

    /** The config with defaults, short timeouts, and the given overrides (key = attribute name). */
    static SmtpDeliveryAgent.Config config(Object... overrides) {
        Map<String, Object> values = new HashMap<>();
        for (String t : List.of("greetingTimeoutSeconds", "mailTimeoutSeconds", "rcptTimeoutSeconds",
                "dataInitiationTimeoutSeconds", "dataBlockTimeoutSeconds", "dataTerminationTimeoutSeconds",
                "commandTimeoutSeconds", "connectTimeoutSeconds")) {
            values.put(t, 5);
        }
        values.put("ioThreads", 2);
        values.put("workerThreads", 2);
        values.put("permitWaitSeconds", 2);
        for (int i = 0; i < overrides.length; i += 2) {
            values.put((String) overrides[i], overrides[i + 1]);
        }
        return (SmtpDeliveryAgent.Config) Proxy.newProxyInstance(Fixtures.class.getClassLoader(),
                new Class<?>[] {SmtpDeliveryAgent.Config.class}, (proxy, method, args) -> {
                    if (values.containsKey(method.getName())) {
                        return values.get(method.getName());
                    }
                    if (method.getDefaultValue() != null) {
                        return method.getDefaultValue();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    static NextHop hop(int port) {
        return hop(port, TlsPolicy.OPPORTUNISTIC, null);
    }

    static NextHop hop(int port, TlsPolicy tls, Credentials credentials) {
        return new NextHop("mx.test", LOOPBACK, port, 10, tls, credentials);
    }

    static MessageContent content(byte[] bytes) {
        return MessageContent.of(bytes);
    }

    static MessageContent content(String text) {
        return content(text.getBytes(StandardCharsets.UTF_8));
    }

    static List<Recipient> recipients(String... addresses) {
        return java.util.Arrays.stream(addresses).map(a -> Recipient.of(MailAddress.parse(a))).toList();
    }

    static DeliveryRequest request(List<Recipient> rcpts, MessageContent content, NextHop... hops) {
        return request(envelope(rcpts, false), content, hops);
    }

    static Envelope envelope(List<Recipient> rcpts, boolean smtpUtf8) {
        return new Envelope(ReversePath.of(MailAddress.parse("sender@origin.test")), rcpts, BodyType.SEVEN_BIT,
                smtpUtf8, 0, DsnReturn.UNSPECIFIED, null, ClientIdentity.local("test"), Instant.now());
    }

    static DeliveryRequest request(Envelope env, MessageContent content, NextHop... hops) {
        return new DeliveryRequest(new QueueId("Q1"), env, content,
                new Route.Hops("example.test", "mx.test", List.of(hops)), SOURCE, PATH, 1);
    }

    /** Waits for a report; the stage must complete normally within the time. */
    static DeliveryReport await(java.util.concurrent.CompletionStage<DeliveryReport> stage, int seconds)
            throws Exception {
        DeliveryReport report = stage.toCompletableFuture().get(seconds, TimeUnit.SECONDS);
        assertTrue(report != null);
        return report;
    }
}
