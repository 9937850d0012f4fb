package dev.sluice.api.queue;

/**
 * Told about every message the queue has made durable (whiteboard: register a service of this type).
 * The scheduler uses it to learn about new mail without polling.
 *
 * <p>Called by the queue on its commit thread after the fsync; must return quickly and never throw. A message
 * may be announced more than once (a listener bound after the queue started is told the whole queue, which
 * may overlap with what it saw otherwise); a listener ignores what it already knows.
 */
@org.osgi.annotation.versioning.ConsumerType
@FunctionalInterface
public interface QueueListener {

    void queued(QueueEntry entry);
}
