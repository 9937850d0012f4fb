package dev.sluice.api.routing;

import java.util.concurrent.CompletionStage;

/**
 * Finds the next hops for a recipient domain: static routes first, then DNS MX. Called by the scheduler
 * from any thread. Never fails exceptionally for DNS trouble: that is a {@link Route.Failure} with a 4xx
 * reply; the stage fails only on a programming error.
 */
@org.osgi.annotation.versioning.ProviderType
public interface Router {

    /** @param domain an ASCII (A-label) domain or an address literal such as {@code [192.0.2.1]} */
    CompletionStage<Route> route(String domain);
}
