package dev.sluice.delivery.smtp;

import dev.sluice.api.ratelimit.EgressSource;
import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.routing.NextHop;

/**
 * What makes a connection reusable for a message: same path, same hop (address, port, TLS policy,
 * credentials) and same source (bind address and EHLO name).
 */
record PoolKey(PathKey path, NextHop hop, EgressSource source) {
}
