package dev.sluice.smtp.server;

import java.time.Clock;

/** What every session of one listener shares. */
record ListenerContext(ListenerSettings settings, Services services, ConnectionCounter counter, Clock clock,
                       FilterRunner filters) {
}
