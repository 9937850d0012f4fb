package dev.sluice.api.delivery;

import java.util.concurrent.CompletionStage;

/**
 * Delivers a message to a batch of recipients over a route, reusing connections and honouring the
 * {@link dev.sluice.api.ratelimit.TrafficShaper}. Called by the scheduler from any thread; returns at once.
 * The stage always completes normally with an outcome for every recipient: connection failures, timeouts and
 * TLS policy failures become DEFERRED outcomes with a local 4xx reply, after trying the route's further hosts.
 */
@org.osgi.annotation.versioning.ProviderType
public interface DeliveryAgent {

    CompletionStage<DeliveryReport> deliver(DeliveryRequest request);
}
