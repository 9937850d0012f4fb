package dev.sluice.dsn;

import dev.sluice.api.config.ConfigCheck;
import dev.sluice.api.delivery.BounceClassifier;
import dev.sluice.api.event.DeliveryEvent;
import dev.sluice.api.event.DeliveryListener;
import dev.sluice.api.mail.Reply;
import java.util.List;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every delivery event as one JSON line to the logger {@value #LOGGER_NAME}, which the distribution
 * routes (alone, asynchronously) to {@code log/delivery.log} with the pattern {@code %m%n}. Going through
 * the logging system gives rotation and async I/O for free and keeps this listener non-blocking.
 */
@Component(service = DeliveryListener.class, configurationPid = "dev.sluice.dsn.log")
@Designate(ocd = DeliveryLogListener.Config.class)
public final class DeliveryLogListener implements DeliveryListener {

    static final String LOGGER_NAME = "dev.sluice.delivery.log";

    @ObjectClassDefinition(name = "Sluice delivery log",
            description = "One JSON line per reception, attempt and final state, to the logger "
                    + "dev.sluice.delivery.log (log/delivery.log in the distribution).")
    public @interface Config {
        @AttributeDefinition(name = "Recent lines kept in memory (lines)",
                description = "How many of the latest log lines are kept in memory for the console; 0 keeps none. "
                        + "Range: 0 to 1000000.", min = "0", max = "1000000")
        int recentLines() default 1000;
    }

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLogListener.class);

    private final BounceClassifier classifier;
    private final Consumer<String> sink;
    private final RecentLines recent;

    @Activate
    public DeliveryLogListener(Config config,
                               @Reference(name = "classifier", policyOption = ReferencePolicyOption.GREEDY)
                               BounceClassifier classifier) {
        this(config, classifier, LoggerFactory.getLogger(LOGGER_NAME)::info);
    }

    DeliveryLogListener(Config config, BounceClassifier classifier, Consumer<String> sink) {
        ConfigCheck.between("recentLines", config.recentLines(), 0, 1_000_000);
        this.classifier = classifier;
        this.sink = sink;
        this.recent = new RecentLines(config.recentLines());
    }

    @Override
    public void onEvent(DeliveryEvent event) {
        try {
            String line = DeliveryLogFormat.format(event, classification(event));
            sink.accept(line);
            recent.add(line);
        } catch (RuntimeException e) {
            // The listener contract forbids throwing into the delivery thread; losing one line is the lesser harm.
            LOG.warn("cannot write delivery log line for {} {}", event.kind(), event.queueId(), e);
        }
    }

    /** The latest lines, oldest first; package-private until the api offers a way to publish them. */
    List<String> recentLines() {
        return recent.snapshot();
    }

    private String classification(DeliveryEvent event) {
        Reply reply = event.reply();
        if (event.classification() != null || reply == null || reply.isPositive()) {
            return event.classification();
        }
        return classifier.classify(reply).label();
    }
}
