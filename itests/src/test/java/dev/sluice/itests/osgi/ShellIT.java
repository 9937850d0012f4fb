package dev.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * The sluice:* Gogo commands in a real framework, run through the Gogo CommandProcessor as a shell user
 * would. The Gogo API is not on this module's classpath, so the processor and its session are driven
 * through their interfaces, loaded from the gogo bundle. With the scheduler or the rate limiter missing
 * from the features, the commands must say "not available" instead of failing obscurely.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellIT extends SluiceTestSupport {

    private static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    private static final String SESSION = "org.apache.felix.service.command.CommandSession";

    @Inject
    private BundleContext context;

    @Test
    public void queueSummaryOrNotAvailable() throws Exception {
        Result r = run("sluice:queue");
        if (present("dev.sluice.api.queue.QueueAdmin")) {
            assertTrue(r.toString(), r.output.startsWith("messages: 0  held: 0\nrecipients: pending 0"));
        } else {
            assertEquals("queue not available: the scheduler bundle is stopped or being updated", r.error);
        }
    }

    @Test
    public void destinationsOrNotAvailable() throws Exception {
        Result r = run("sluice:destinations");
        if (present("dev.sluice.api.ratelimit.TrafficShaper")) {
            assertEquals(r.toString(), "no path has traffic or a suspension\n", r.output);
        } else {
            assertEquals("traffic shaper not available: the ratelimit bundle is stopped or being updated", r.error);
        }
    }

    @Test
    public void anEmptyBulkCommandIsRefusedBeforeAnythingElse() throws Exception {
        Result r = run("sluice:delete");
        assertNotNull(r.toString(), r.error);
        assertTrue(r.error, r.error.startsWith("refusing to act on the whole queue without --all"));
    }

    @Test
    public void optionsAndArgumentsAreParsedByGogo() throws Exception {
        Result search = run("sluice:search --sender news --limit 5");
        Result route = run("sluice:route bad..example");
        if (present("dev.sluice.api.queue.QueueAdmin")) {
            assertEquals(search.toString(), "no matching message\n", search.output);
        } else {
            assertTrue(search.toString(), String.valueOf(search.error).startsWith("queue not available"));
        }
        if (present("dev.sluice.api.routing.Router")) {
            assertTrue(route.toString(), String.valueOf(route.error).startsWith("not a domain: bad..example"));
        } else {
            assertTrue(route.toString(), String.valueOf(route.error).startsWith("router not available"));
        }
    }

    @Test
    public void statsAlwaysAnswers() throws Exception {
        Result r = run("sluice:stats");
        assertTrue(r.toString(), r.output != null && r.output.startsWith("since ")
                && r.output.contains(" received 0 delivered 0 deferred 0 bounced 0 expired 0"));
    }

    private boolean present(String service) {
        return context.getServiceReference(service) != null;
    }

    /** What a command returned, or the message of what it threw. */
    private record Result(String output, String error) {
    }

    private Result run(String command) throws Exception {
        assertTrue("the sluice commands were never registered", await(Duration.ofSeconds(20), this::commandsRegistered));
        ServiceReference<?> ref = context.getServiceReference(PROCESSOR);
        assertNotNull("no Gogo CommandProcessor", ref);
        Object processor = context.getService(ref);
        try {
            Class<?> processorType = ref.getBundle().loadClass(PROCESSOR);
            Class<?> sessionType = ref.getBundle().loadClass(SESSION);
            Method create = processorType.getMethod("createSession", InputStream.class, OutputStream.class, OutputStream.class);
            Object session = create.invoke(processor, new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                    new ByteArrayOutputStream());
            try {
                Object out = sessionType.getMethod("execute", CharSequence.class).invoke(session, command);
                return new Result(out == null ? null : out.toString(), null);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                while (cause instanceof InvocationTargetException && cause.getCause() != null) {
                    cause = cause.getCause();
                }
                return new Result(null, cause.getMessage());
            } finally {
                sessionType.getMethod("close").invoke(session);
            }
        } finally {
            context.ungetService(ref);
        }
    }

    private boolean commandsRegistered() {
        try {
            for (String function : new String[] {"queue", "destinations", "delete", "search", "route", "stats"}) {
                if (context.getServiceReferences((String) null,
                        "(&(osgi.command.scope=sluice)(osgi.command.function=" + function + "))") == null) {
                    return false;
                }
            }
            return true;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
