package dev.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.sluice.itests.e2e.SmtpClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The sluice:* Gogo commands in the framework the features make, run through the Gogo CommandProcessor as a
 * shell user would, on real mail: a message for a destination whose only host refuses connections is
 * received over SMTP, deferred, then searched, shown, held, released, retried and deleted from the shell.
 * The Gogo API is not on this module's classpath, so the processor and its session are driven through
 * their interfaces, loaded from the gogo bundle.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ShellIT extends SluiceTestSupport {

    private static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    private static final String SESSION = "org.apache.felix.service.command.CommandSession";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SITE = "route:shell";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Test
    public void a_badInputGetsClearErrors() throws Exception {
        assertEquals("refusing to act on the whole queue without --all (give queue ids or --sender/--recipient/--destination/--sender-domain)",
                run("sluice:delete").error);
        assertEquals("give --sender, --recipient, --destination, --sender-domain or --held (or --all to page through the whole queue)",
                run("sluice:search").error);
        assertTrue(run("sluice:show not/an/id").error, run("sluice:show not/an/id").error.startsWith("not a queue id"));
        assertEquals("no message with queue id 0AAAAAAA000", run("sluice:hold 0AAAAAAA000").error);
        assertEquals("minutes: give 1 to 10080", run("sluice:suspend example.test 0").error);
        assertTrue(run("sluice:route bad..example").error, run("sluice:route bad..example").error.startsWith("not a domain: bad..example"));
        assertEquals("give queue ids, or options, or --all; not several of them", run("sluice:retry --all 0AAAAAAA000").error);
    }

    @Test
    public void b_everyCommandHasHelp() throws Exception {
        for (String command : List.of("queue", "search", "show", "retry", "hold", "release", "delete", "bounce",
                "destinations", "suspend", "resume", "limits", "route", "stats")) {
            Result help = run("help sluice:" + command);
            assertNull(help.toString(), help.error);
            assertTrue(help.toString(), String.valueOf(help.output).startsWith(command + " - ")
                    && help.output.contains("scope: sluice"));
        }
        assertTrue(run("help sluice:search").output, run("help sluice:search").output.contains("a recipient contains"));
    }

    @Test
    public void c_commandsActOnRealQueuedMail() throws Exception {
        int smtpPort = freePort();
        int refusingPort = freePort(); // nothing listens there: every attempt is deferred with 451 4.4.1
        Configuration listener = configAdmin.getFactoryConfiguration("dev.sluice.smtp.listener", "shell", "?");
        listener.update(new Hashtable<>(Map.of("name", "shell", "address", "127.0.0.1", "port", smtpPort)));
        Configuration route = configAdmin.getFactoryConfiguration("dev.sluice.routing.static", "shell", "?");
        route.update(new Hashtable<>(Map.of("name", "shell", "domains", new String[] {"example.test"},
                "hosts", new String[] {"127.0.0.1:" + refusingPort}, "tls", "none")));
        assertTrue("the static route never showed in sluice:route: " + run("sluice:route example.test"), await(WAIT,
                () -> String.valueOf(run("sluice:route example.test").output).startsWith("example.test -> site " + SITE + "\n")));
        Result routed = run("sluice:route example.test");
        assertTrue(routed.output, Pattern.compile("127\\.0\\.0\\.1 +" + refusingPort + " +NONE").matcher(routed.output).find());
        assertTrue(run("sluice:stats").output, run("sluice:stats").output.contains(" received 0 delivered 0 deferred 0 "));

        String id = send(smtpPort);
        assertTrue("never deferred: " + run("sluice:queue"), await(WAIT,
                () -> String.valueOf(run("sluice:queue").output).contains("recipients: pending 0 deferred 1 ")));
        Result queue = run("sluice:queue");
        assertTrue(queue.output, queue.output.startsWith("messages: 1  held: 0\n"));
        assertTrue(queue.output, Pattern.compile("example\\.test +1").matcher(queue.output).find());

        Result search = run("sluice:search --recipient bob@");
        assertTrue(search.output, search.output.contains(id) && search.output.endsWith("messages 1-1\n"));
        assertEquals("no matching message\n", run("sluice:search --sender nobody").output);
        Result show = run("sluice:show " + id);
        assertTrue(show.output, show.output.contains("sender: news@sender.test\n"));
        assertTrue(show.output, show.output.contains("  bob@example.test  DEFERRED  next "));
        assertTrue(show.output, show.output.contains(": 451 4.4.1 connection refused"));
        assertTrue(show.output, show.output.contains("  Subject: shell test\n"));

        assertEquals("hold: 1 message(s)\n", run("sluice:hold " + id).output);
        assertTrue(run("sluice:search --held").output.contains(id));
        assertEquals("release: 1 message(s) (recipient=bob@)\n", run("sluice:release -r bob@").output);
        assertEquals("no matching message\n", run("sluice:search --held").output);
        assertEquals("retry: 1 message(s)\n", run("sluice:retry " + id).output);
        assertEquals("hold: 1 message(s) (destination=example.test)\n", run("sluice:hold -d example.test").output);
        assertTrue(run("sluice:queue").output, run("sluice:queue").output.contains("held destinations (new mail kept back"
                + " too; sluice:release -d <domain>): example.test\n"));
        assertEquals("release: 1 message(s) (destination=example.test)\n", run("sluice:release -d example.test").output);
        assertTrue(run("sluice:queue").output, !run("sluice:queue").output.contains("held destinations"));

        Result destinations = run("sluice:destinations");
        assertTrue(destinations.output, destinations.output.startsWith("SITE") && destinations.output.contains(SITE + " "));
        assertTrue(run("sluice:limits " + SITE).output, run("sluice:limits " + SITE).output
                .startsWith("default->" + SITE + ": "));
        assertTrue(run("sluice:suspend --reason maintenance " + SITE + " 10").output.startsWith("suspended " + SITE + " until "));
        assertTrue(run("sluice:destinations").output, run("sluice:destinations").output.contains("(operator"));
        assertEquals("resumed " + SITE + "\n", run("sluice:resume " + SITE).output);

        Result stats = run("sluice:stats");
        assertTrue(stats.output, stats.output.contains(" received 1 ") && stats.output.contains("\nqueue: 1 messages, 0 held, 1 destinations"));
        assertEquals("delete: 1 message(s)\n", run("sluice:delete " + id).output);
        assertTrue(run("sluice:queue").output.startsWith("messages: 0  held: 0\n"));
        route.delete();
        listener.delete();
    }

    private static String send(int port) throws Exception {
        try (SmtpClient smtp = SmtpClient.connectWhenListening(port, WAIT)) {
            String reply = smtp.send("news@sender.test", List.of("bob@example.test"),
                    "From: news@sender.test\r\nTo: bob@example.test\r\nSubject: shell test\r\n\r\nHello\r\n");
            Matcher m = Pattern.compile("queued as (\\S+)").matcher(reply);
            assertTrue(reply, m.find());
            return m.group(1);
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** What a command returned, what it printed, or the message of what it threw. */
    private record Result(String output, String printed, String error) {
    }

    private Result run(String command) {
        try {
            assertTrue("the sluice commands were never registered", await(WAIT, this::commandsRegistered));
            ServiceReference<?> ref = context.getServiceReference(PROCESSOR);
            assertNotNull("no Gogo CommandProcessor", ref);
            Object processor = context.getService(ref);
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
                Class<?> processorType = ref.getBundle().loadClass(PROCESSOR);
                Class<?> sessionType = ref.getBundle().loadClass(SESSION);
                Method create = processorType.getMethod("createSession", InputStream.class, OutputStream.class,
                        OutputStream.class);
                Object session = create.invoke(processor, new ByteArrayInputStream(new byte[0]), out, out);
                try {
                    Object result = sessionType.getMethod("execute", CharSequence.class).invoke(session, command);
                    return new Result(result == null ? null : result.toString(), printed.toString(StandardCharsets.UTF_8), null);
                } catch (InvocationTargetException e) {
                    Throwable cause = e.getCause();
                    while (cause instanceof InvocationTargetException && cause.getCause() != null) {
                        cause = cause.getCause();
                    }
                    return new Result(null, printed.toString(StandardCharsets.UTF_8), cause.getMessage());
                } finally {
                    sessionType.getMethod("close").invoke(session);
                }
            } finally {
                context.ungetService(ref);
            }
        } catch (ReflectiveOperationException | InterruptedException e) {
            throw new AssertionError("cannot run " + command, e);
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
