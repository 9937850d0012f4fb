package dev.sluice.itests.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * The plugin author's guide (examples/filter-example/README.md) followed on a running distribution: the jar the
 * example project builds is dropped into deploy/ with its .cfg and takes effect without a restart; deleting it
 * takes the effect away again.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class FilterPluginIT {

    private static final String JAR = "sluice-filter-example-1.0.0.jar";
    private static final String CFG = "com.example.sluice.filter.cfg";
    private static TestSmtpServer receiver;
    private static SluiceDistribution sluice;
    private static int smtpPort;

    @BeforeClass
    public static void start() throws Exception {
        receiver = new TestSmtpServer(new TestSmtpServer.Script());
        sluice = SluiceDistribution.unpack("filter-plugin");
        smtpPort = sluice.listenOnFreeSmtpPort(Map.of());
        sluice.route("all", "*", "none", "127.0.0.1:" + receiver.port());
        sluice.start();
        sluice.awaitAllBundlesActive(Duration.ofSeconds(60));
    }

    @AfterClass
    public static void stop() throws Exception {
        SluiceDistribution.closeAll(sluice, receiver);
    }

    @Test
    public void a_withoutThePluginBlockedDomainsAreAcceptedAndNothingIsTagged() throws Exception {
        assertEquals("250", mailFromReply("someone@spam.example").substring(0, 3));
        ReceivedMessage m = deliver();
        assertNull(m.header("X-Example-Filter"));
    }

    @Test
    public void b_droppingTheJarIntoDeployActivatesItWithoutRestart() throws Exception {
        long pid = sluice.pid();
        Path jar = Path.of(System.getProperty("sluice.example.filter.jar",
                "target/examples/filter-example/target/" + JAR));
        assertTrue("the example was not built by maven-invoker: " + jar, Files.isRegularFile(jar));
        sluice.deployFile(jar.getParent().getParent().resolve(CFG), CFG); // the .cfg beside the example's pom
        sluice.deployFile(jar, JAR);
        assertTrue("the plugin never refused a blocked sender", SluiceDistribution.await(Duration.ofSeconds(30),
                () -> mailFromReply("someone@spam.example").startsWith("550 5.7.1")));
        assertTrue(mailFromReply("someone@mx.junk.example").startsWith("550 5.7.1"));
        assertEquals("checked", deliver().header("X-Example-Filter"));
        assertEquals("no restart", pid, sluice.pid());
        assertTrue(sluice.getAsAdmin("/system/console/bundles.json").body()
                .contains("\"symbolicName\":\"com.example.sluice.filter\""));
    }

    @Test
    public void c_deletingTheJarDeactivatesIt() throws Exception {
        sluice.undeploy(JAR);
        assertTrue("the plugin kept refusing after its jar was deleted", SluiceDistribution.await(
                Duration.ofSeconds(30), () -> mailFromReply("someone@spam.example").startsWith("250")));
        assertNull(deliver().header("X-Example-Filter"));
        assertFalse(sluice.getAsAdmin("/system/console/bundles.json").body()
                .contains("\"symbolicName\":\"com.example.sluice.filter\""));
        sluice.undeploy(CFG);
    }

    /** The reply to MAIL FROM in a fresh session; a connection problem reads as "no reply". */
    private static String mailFromReply(String sender) {
        try (SmtpClient client = new SmtpClient(smtpPort)) {
            return client.command("MAIL FROM:<" + sender + ">");
        } catch (IOException e) {
            return "no reply: " + e;
        }
    }

    /** Sends one message from an allowed sender and waits until the receiver has it. */
    private static ReceivedMessage deliver() throws Exception {
        String id = "<" + UUID.randomUUID() + "@sender.example>";
        try (SmtpClient client = new SmtpClient(smtpPort)) {
            String reply = client.send("sender@sender.example", List.of("rcpt@receiver.example"),
                    "Message-ID: " + id + "\r\nSubject: plugin test\r\n\r\nhello\r\n");
            assertTrue(reply, reply.startsWith("250"));
        }
        ReceivedMessage[] found = new ReceivedMessage[1];
        assertTrue("not delivered: " + id, SluiceDistribution.await(Duration.ofSeconds(30), () -> {
            found[0] = receiver.received().stream().filter(m -> id.equals(m.header("Message-ID"))).findFirst()
                    .orElse(null);
            return found[0] != null;
        }));
        return found[0];
    }

}
