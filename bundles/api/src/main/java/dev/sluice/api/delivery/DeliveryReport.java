package dev.sluice.api.delivery;

import java.util.List;

/**
 * The outcome of a {@link DeliveryRequest}: one entry per recipient of the batch, in its order.
 *
 * @param tlsProtocol the TLS protocol of the connection that carried the message, or null
 */
public record DeliveryReport(List<RecipientOutcome> outcomes, String tlsProtocol) {

    public DeliveryReport {
        outcomes = List.copyOf(outcomes);
    }
}
