package dev.sluice.scheduler;

import dev.sluice.api.delivery.BounceService;
import dev.sluice.api.delivery.DeliveryAgent;
import dev.sluice.api.delivery.DeliveryReport;
import dev.sluice.api.delivery.DeliveryRequest;
import dev.sluice.api.delivery.RecipientNotice;
import dev.sluice.api.delivery.RecipientOutcome;
import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.HeaderField;
import dev.sluice.api.mail.QueueId;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.queue.QueuedMessage;
import dev.sluice.api.ratelimit.ConnectionPermit;
import dev.sluice.api.ratelimit.EgressSource;
import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.ratelimit.PathLimits;
import dev.sluice.api.ratelimit.PathStatus;
import dev.sluice.api.ratelimit.Rate;
import dev.sluice.api.ratelimit.Suspension;
import dev.sluice.api.ratelimit.TrafficShaper;
import dev.sluice.api.routing.NextHop;
import dev.sluice.api.routing.Route;
import dev.sluice.api.routing.Router;
import dev.sluice.api.routing.TlsPolicy;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/** Small fakes of the services the scheduler uses. */
final class Fakes {

    private Fakes() {
    }

    /** Routes every domain to one hop on site {@code mx.<domain>} unless told otherwise. */
    static final class FakeRouter implements Router {
        final Map<String, Route> routes = new HashMap<>();
        final List<String> lookups = new ArrayList<>();

        @Override
        public synchronized CompletionStage<Route> route(String domain) {
            lookups.add(domain);
            return CompletableFuture.completedFuture(routes.computeIfAbsent(domain, d -> hops(d, "mx." + d)));
        }

        static Route.Hops hops(String domain, String site) {
            return new Route.Hops(domain, site, List.of(new NextHop(site, InetAddress.getLoopbackAddress(), 25, 10,
                    TlsPolicy.OPPORTUNISTIC, null)));
        }
    }

    /** Limits per site; message tokens unlimited unless {@code tokens} says otherwise. */
    static final class FakeShaper implements TrafficShaper {
        int maxConnections = 10;
        int maxRecipients = 100;
        final Map<String, Integer> tokens = new HashMap<>();
        Supplier<Instant> now = Instant::now;
        /** What nextOpportunity forecasts, from now. */
        Duration nextIn = Duration.ofSeconds(1);
        /** Connections a path can have: a message for which none is free gets no token. */
        int connections = Integer.MAX_VALUE;
        /** The header field the tenant key comes from, or null for none. */
        String tenantHeader;
        /** Every path a token was asked for, with the deliveries under way on it then. */
        final List<String> asked = new ArrayList<>();
        /** Message tokens per tenant; unlimited for a tenant not in it. */
        final Map<String, Integer> tenantTokens = new HashMap<>();
        /** The egress source per sender domain (a dedicated source); "default" for a sender not in it. */
        final Map<String, String> sourceBySender = new HashMap<>();
        /** Sources that cannot send now (a closed window, a suspension): no token, next opportunity in an hour. */
        final Set<String> closedSources = new java.util.HashSet<>();

        @Override
        public Set<String> tenantHeaders() {
            return tenantHeader == null ? Set.of() : Set.of(tenantHeader.toLowerCase(java.util.Locale.ROOT));
        }

        @Override
        public PathKey path(String site, EgressSource source, Envelope envelope, List<HeaderField> headers) {
            String tenant = headers.stream().filter(f -> f.hasName(String.valueOf(tenantHeader)))
                    .map(f -> f.value().trim()).findFirst().orElse(null);
            return new PathKey(site, source.name(), tenant);
        }

        @Override
        public synchronized boolean tryAcquireMessage(PathKey path, int underWay) {
            asked.add(path + " " + underWay);
            if (closedSources.contains(path.source())) {
                return false;
            }
            Integer tenantLeft = path.tenant() == null ? null : tenantTokens.get(path.tenant());
            if (underWay >= connections || tenantLeft != null && tenantLeft <= 0) {
                return false;
            }
            if (tenantLeft != null) {
                tenantTokens.put(path.tenant(), tenantLeft - 1);
            }
            return tryAcquireMessage(path);
        }

        @Override
        public synchronized EgressSource chooseSource(String site, Envelope envelope) {
            String domain = envelope.sender().address().map(a -> a.asciiDomain()).orElse("");
            return new EgressSource(sourceBySender.getOrDefault(domain, "default"), null, "sluice.test");
        }

        @Override
        public PathLimits limits(PathKey path) {
            return new PathLimits(maxConnections, Rate.parse("100/s"), 100, Rate.parse("100/s"), maxRecipients);
        }

        @Override
        public Optional<ConnectionPermit> tryOpenConnection(PathKey path) {
            return Optional.empty();
        }

        @Override
        public synchronized boolean tryAcquireMessage(PathKey path) {
            Integer left = tokens.get(path.site());
            if (left == null) {
                return true;
            }
            tokens.put(path.site(), left - 1);
            return left > 0;
        }

        @Override
        public synchronized Instant nextOpportunity(PathKey path) {
            if (closedSources.contains(path.source())) {
                return now.get().plus(Duration.ofHours(1));
            }
            // with tenant budgets in play, the path without a tenant can go now unless its site is out of tokens
            if (!tenantTokens.isEmpty() && path.tenant() == null && tokens.getOrDefault(path.site(), 1) > 0) {
                return now.get();
            }
            return now.get().plus(nextIn);
        }

        @Override
        public void onReply(PathKey path, Reply reply) {
        }

        @Override
        public List<PathStatus> status() {
            return List.of();
        }

        @Override
        public Suspension suspend(String site, Duration duration, String reason) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean resume(String site) {
            return false;
        }

        @Override
        public Optional<Suspension> suspension(PathKey path) {
            return Optional.empty();
        }
    }

    /**
     * Answers per destination with a reply for every recipient ({@code 250} unless scripted), or never when the
     * destination is in {@code hang}. Tracks requests and the concurrency per path.
     */
    static final class FakeAgent implements DeliveryAgent {
        final List<DeliveryRequest> requests = new ArrayList<>();
        final Map<String, List<Reply>> script = new HashMap<>();
        final java.util.Set<String> hang = new java.util.HashSet<>();
        final List<CompletableFuture<DeliveryReport>> pending = new ArrayList<>();
        final List<DeliveryRequest> pendingRequests = new ArrayList<>();
        final Map<PathKey, Integer> inFlight = new HashMap<>();
        final Map<PathKey, Integer> maxInFlight = new HashMap<>();
        Function<DeliveryRequest, Reply> replies;
        /** Replies for single recipients, whatever the request's reply is. */
        final Map<String, Reply> byRecipient = new HashMap<>();

        @Override
        public synchronized CompletionStage<DeliveryReport> deliver(DeliveryRequest request) {
            requests.add(request);
            inFlight.merge(request.path(), 1, Integer::sum);
            maxInFlight.merge(request.path(), inFlight.get(request.path()), Math::max);
            String domain = request.route().destination();
            CompletableFuture<DeliveryReport> f = new CompletableFuture<>();
            f.whenComplete((r, e) -> {
                synchronized (this) {
                    inFlight.merge(request.path(), -1, Integer::sum);
                }
            });
            if (hang.contains(domain)) {
                pending.add(f);
                pendingRequests.add(request);
                return f;
            }
            Reply reply = nextReply(domain, request);
            f.complete(new DeliveryReport(request.envelope().recipients().stream().map(r -> {
                Reply own = byRecipient.getOrDefault(r.address().toString(), reply);
                return new RecipientOutcome(r, RecipientOutcome.outcomeOf(own), own, "mx.test[127.0.0.1]");
            }).toList(), "TLSv1.3"));
            return f;
        }

        private Reply nextReply(String domain, DeliveryRequest request) {
            List<Reply> scripted = script.get(domain);
            if (scripted != null && !scripted.isEmpty()) {
                return scripted.size() == 1 ? scripted.get(0) : scripted.remove(0);
            }
            return replies != null ? replies.apply(request) : Reply.of(250, "2.0.0", "OK");
        }

        static DeliveryReport report(DeliveryRequest request, Reply reply) {
            return new DeliveryReport(request.envelope().recipients().stream().map(r -> new RecipientOutcome(r,
                    RecipientOutcome.outcomeOf(reply), reply, "mx.test[127.0.0.1]")).toList(), "TLSv1.3");
        }

        /** Answers the oldest request still waiting; false when none waits. */
        boolean completeOldest(Reply reply) {
            CompletableFuture<DeliveryReport> f;
            DeliveryRequest request;
            synchronized (this) {
                if (pending.isEmpty()) {
                    return false;
                }
                f = pending.remove(0);
                request = pendingRequests.remove(0);
            }
            f.complete(report(request, reply));
            return true;
        }

        synchronized List<String> recipientsOf(int request) {
            return requests.get(request).envelope().recipients().stream().map(r -> r.address().toString()).toList();
        }
    }

    /** Records its calls in the queue's log, saying whether the original was still queued to be quoted. */
    static final class FakeBounces implements BounceService {
        final List<List<RecipientNotice>> calls = new ArrayList<>();
        final List<QueueId> messages = new ArrayList<>();
        FakeQueue queue;
        /** How many of the next calls fail, as a full disk would make them. */
        int failCalls;

        @Override
        public synchronized Optional<QueueId> notify(QueuedMessage message, List<RecipientNotice> recipients)
                throws dev.sluice.api.queue.QueueException {
            if (failCalls > 0) {
                failCalls--;
                throw dev.sluice.api.queue.QueueException.lowOnSpace("disk full");
            }
            calls.add(List.copyOf(recipients));
            messages.add(message.id());
            if (queue != null) {
                queue.log.add("dsn " + message.id() + (queue.get(message.id()).isPresent() ? " original queued"
                        : " original gone"));
            }
            return Optional.of(new QueueId("DSN" + calls.size()));
        }
    }
}
