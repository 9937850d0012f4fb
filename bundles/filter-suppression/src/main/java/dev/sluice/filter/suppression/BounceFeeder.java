package dev.sluice.filter.suppression;

import dev.sluice.api.event.DeliveryEvent;
import dev.sluice.api.event.DeliveryListener;
import dev.sluice.api.mail.MailAddress;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Suppresses recipients whose delivery bounced with one of the configured categories (default: bad-mailbox). */
@Component(service = DeliveryListener.class, configurationPid = SuppressionStore.PID)
public final class BounceFeeder implements DeliveryListener {

    private final SuppressionStore store;
    private final boolean enabled;
    private final Set<String> categories;

    @Activate
    public BounceFeeder(@Reference SuppressionStore store, SuppressionConfig config) {
        this.store = store;
        this.enabled = config.addBounces();
        this.categories = Set.of(config.bounceCategories());
    }

    @Override
    public void onEvent(DeliveryEvent event) {
        if (!enabled || event.kind() != DeliveryEvent.Kind.BOUNCED || event.recipient() == null
                || !categories.contains(event.classification())) {
            return;
        }
        try {
            store.addSoon(Entry.of(MailAddress.parse(event.recipient())),
                    "bounce " + event.classification() + ": " + event.reply());
        } catch (IllegalArgumentException e) {
            // a recipient that is not an address cannot be mailed again anyway
        }
    }
}
