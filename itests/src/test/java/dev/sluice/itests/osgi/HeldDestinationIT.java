package dev.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.sluice.api.queue.MailQueue;
import dev.sluice.api.queue.QueueAdmin;
import dev.sluice.api.queue.QueueSelector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/** A destination held by an operator stays held when the queue and the scheduler bundles restart. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HeldDestinationIT extends SluiceTestSupport {

    private static final Duration RESTARTED = Duration.ofSeconds(30);

    @Inject
    private BundleContext context;

    @Test
    public void aHeldDestinationOutlastsARestartUntilReleased() throws Exception {
        assertTrue("no queue and scheduler", await(RESTARTED,
                () -> context.getServiceReference(MailQueue.class) != null && admin() != null));
        admin().hold(QueueSelector.byDestination("Held.Example"));
        assertEquals(Set.of("held.example"), admin().heldDestinations());
        Path stored = Path.of(context.getProperty("sluice.home"), "spool", "held-destinations");
        assertEquals("held.example\n", Files.readString(stored));

        restartQueueAndScheduler();
        assertTrue("the restarted scheduler does not hold held.example",
                await(RESTARTED, () -> Set.of("held.example").equals(heldNow())));

        admin().release(QueueSelector.byDestination("held.example"));
        assertEquals("", Files.readString(stored));
        restartQueueAndScheduler();
        assertTrue(await(RESTARTED, () -> Set.of().equals(heldNow())));
    }

    private void restartQueueAndScheduler() throws Exception {
        Bundle queue = bundle("dev.sluice.queue.file");
        Bundle scheduler = bundle("dev.sluice.scheduler");
        scheduler.stop();
        queue.stop();
        assertTrue(await(RESTARTED, () -> context.getServiceReference(QueueAdmin.class) == null
                && context.getServiceReference(MailQueue.class) == null));
        queue.start();
        assertTrue("no queue", await(RESTARTED, () -> context.getServiceReference(MailQueue.class) != null));
        scheduler.start();
        assertTrue("no scheduler", await(RESTARTED, () -> admin() != null));
    }

    /** Null while the scheduler is away. */
    private Set<String> heldNow() {
        QueueAdmin admin = admin();
        return admin == null ? null : admin.heldDestinations();
    }

    private QueueAdmin admin() {
        ServiceReference<QueueAdmin> ref = context.getServiceReference(QueueAdmin.class);
        return ref == null ? null : context.getService(ref);
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }
}
