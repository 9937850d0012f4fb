package dev.sluice.api.event;

/**
 * Told about every {@link DeliveryEvent} (whiteboard: register a service of this type). The delivery log and
 * the metrics are listeners; so may a plugin be (webhooks, analytics).
 *
 * <p>Called synchronously on the thread that produced the event (a listener or scheduler thread): it must
 * return quickly, never block on I/O of its own and never throw. Events of one message arrive in order.
 */
@org.osgi.annotation.versioning.ConsumerType
@FunctionalInterface
public interface DeliveryListener {

    void onEvent(DeliveryEvent event);
}
