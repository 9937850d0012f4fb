package dev.sluice.queue.file;

import dev.sluice.api.queue.QueueEntry;
import dev.sluice.api.queue.QueueListener;
import org.osgi.service.component.ComponentServiceObjects;

/** A listener service taken from the registry when it is first needed and given back when it goes away. */
final class LazyListener implements QueueListener {

    private final ComponentServiceObjects<QueueListener> objects;
    private QueueListener service;
    private boolean released;

    LazyListener(ComponentServiceObjects<QueueListener> objects) {
        this.objects = objects;
    }

    boolean isFor(ComponentServiceObjects<QueueListener> other) {
        return objects == other || objects.getServiceReference().equals(other.getServiceReference());
    }

    @Override
    public void queued(QueueEntry entry) {
        QueueListener target = service();
        if (target != null) {
            target.queued(entry);
        }
    }

    private synchronized QueueListener service() {
        if (service == null && !released) {
            service = objects.getService();
        }
        return service;
    }

    synchronized void release() {
        released = true;
        if (service != null) {
            objects.ungetService(service);
            service = null;
        }
    }

    @Override
    public String toString() {
        return "QueueListener " + objects.getServiceReference();
    }
}
