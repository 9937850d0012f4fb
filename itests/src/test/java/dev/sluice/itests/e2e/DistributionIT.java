package dev.sluice.itests.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/** The distribution as a user gets it: unpacked, started with bin/sluice, stopped with SIGTERM. */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class DistributionIT {

    /** PIDs whose components an operator must be able to configure from the console (more may exist). */
    private static final List<String> CONFIGURABLE = List.of("dev.sluice.smtp.listener", "dev.sluice.queue.file",
            "dev.sluice.scheduler", "dev.sluice.routing.dns", "dev.sluice.routing.static", "dev.sluice.ratelimit",
            "dev.sluice.ratelimit.rule", "dev.sluice.ratelimit.source", "dev.sluice.ratelimit.backoff",
            "dev.sluice.ratelimit.inbound", "dev.sluice.delivery.smtp", "dev.sluice.dsn", "dev.sluice.dsn.log",
            "dev.sluice.console.security", "dev.sluice.metrics", "dev.sluice.webconsole.queue");
    private static final Pattern CONFIG_DATA = Pattern.compile("var configData = (\\{.*?\\});\\s*$",
            Pattern.MULTILINE | Pattern.DOTALL);

    private static final ObjectMapper JSON = new ObjectMapper();

    private static SluiceDistribution sluice;
    private static Duration startup;
    private static Path keystore;
    private static int httpsPort;

    @BeforeClass
    public static void startDistribution() throws Exception {
        sluice = SluiceDistribution.unpack("distribution");
        // the shipped listener as it is, on a port no other process can hold
        sluice.listenOnFreeSmtpPort(Map.of());
        // Optional HTTPS, as docs/admin.md tells an operator to turn it on.
        keystore = TestCertificates.selfSigned(sluice.home().resolve("conf/tls"), "localhost");
        httpsPort = SluiceDistribution.freePort();
        sluice.configure("org.apache.felix.http.cfg", Map.of("org.apache.felix.https.enable", "true",
                "org.osgi.service.http.port.secure", Integer.toString(httpsPort),
                "org.apache.felix.https.keystore", keystore.toString(),
                "org.apache.felix.https.keystore.password", TestCertificates.PASSWORD,
                "org.apache.felix.https.keystore.key.password", TestCertificates.PASSWORD));
        sluice.start();
        startup = sluice.awaitAllBundlesActive(Duration.ofSeconds(90));
        System.out.println("Sluice: all bundles active " + startup.toMillis() + " ms after bin/sluice started");
        sluice.awaitSmtpListener(Duration.ofSeconds(30));
    }

    @AfterClass
    public static void killIfStillRunning() throws InterruptedException {
        if (sluice != null) {
            sluice.close();
        }
    }

    @Test
    public void a_everyBundleIsActiveAndNoComponentFailed() throws Exception {
        String bundles = sluice.getAsAdmin("/system/console/bundles.json").body();
        assertTrue(bundles, bundles.contains("all ") && bundles.contains("bundles active"));
        assertTrue(bundles, bundles.contains("\"symbolicName\":\"dev.sluice.api\""));
        String components = sluice.getAsAdmin("/system/console/components.json").body();
        assertTrue(components, components.contains("dev.sluice.console.security.ConsoleSecurityProvider"));
        for (String bad : List.of("\"state\":\"failed", "\"state\":\"unsatisfied (reference)")) {
            assertFalse("component problem in " + components, components.contains(bad));
        }
    }

    @Test
    public void b_consoleRefusesDefaultAndMissingCredentials() throws Exception {
        assertEquals(401, sluice.get("/system/console/bundles", null, null).statusCode());
        assertEquals(401, sluice.get("/system/console/bundles", "admin", "admin").statusCode());
        assertEquals(401, sluice.get("/system/console/bundles", "admin", "").statusCode());
        assertEquals(200, sluice.get("/system/console/bundles", "admin", sluice.adminPassword()).statusCode());
    }

    @Test
    public void c_generatedPasswordIsReadableByOwnerOnlyAndOnlyItsHashIsKept() throws Exception {
        Path passwordFile = sluice.passwordFile();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
        String password = sluice.adminPassword();
        assertTrue(password.length() >= 20);
        String hash = Files.readString(sluice.home().resolve("data/admin-password.hash"));
        assertTrue(hash.startsWith("pbkdf2-sha256$"));
        assertFalse(hash.contains(password));
        assertTrue(sluice.log().contains("wrote it to " + passwordFile.toAbsolutePath()));
    }

    @Test
    public void d_httpListensOnLoopbackOnly() throws IOException {
        SluiceDistribution.assertListensOnLoopbackOnly(sluice.httpPort());
    }

    @Test
    public void e_configurationDroppedIntoDeployReachesConfigAdmin() throws Exception {
        sluice.configure("dev.sluice.itest.probe.cfg", Map.of("greeting", "hello from deploy"));
        boolean arrived = SluiceDistribution.await(Duration.ofSeconds(20), () -> {
            try {
                return sluice.getAsAdmin("/system/console/configMgr/dev.sluice.itest.probe.json").body()
                        .contains("hello from deploy");
            } catch (Exception e) {
                return false;
            }
        });
        assertTrue("the configuration from deploy/ never reached ConfigAdmin", arrived);
    }

    @Test
    public void f_everySluiceComponentIsConfigurableWithNamesAndDescriptions() throws Exception {
        Matcher m = CONFIG_DATA.matcher(sluice.getAsAdmin("/system/console/configMgr").body());
        assertTrue("no configData on the Configuration page", m.find());
        JsonNode data = JSON.readTree(m.group(1));
        Set<String> pids = new TreeSet<>();
        for (String list : List.of("pids", "fpids")) {
            data.get(list).forEach(e -> {
                String id = e.get("id").asText();
                // dev.sluice.itest.* are this class's own probes, configurations without a component
                if (id.startsWith("dev.sluice.") && !id.startsWith("dev.sluice.itest.") && !e.has("fpid")) {
                    pids.add(id);
                }
            });
        }
        assertTrue("missing from the Configuration page: " + pids, pids.containsAll(CONFIGURABLE));
        List<String> problems = new java.util.ArrayList<>();
        for (String pid : pids) {
            // What the Configuration page's editor loads: the MetaType of the PID.
            JsonNode ocd = JSON.readTree(sluice.postAsAdmin("/system/console/configMgr/" + pid, Map.of()).body());
            if (ocd.path("title").asText().isBlank() || ocd.path("title").asText().equals(pid)
                    || ocd.path("description").asText().isBlank()) {
                problems.add(pid + ": no name or description");
            }
            ocd.path("properties").fields().forEachRemaining(p -> {
                String description = p.getValue().path("description").asText();
                if (p.getValue().path("name").asText().isBlank() || p.getValue().path("name").asText().equals(p.getKey())
                        || description.isBlank() || description.equals("(" + p.getKey() + ")")) {
                    problems.add(pid + "." + p.getKey() + ": no name or description");
                }
            });
            if (ocd.path("properties").size() == 0) {
                problems.add(pid + ": no attributes");
            }
        }
        assertTrue(problems.toString(), problems.isEmpty());
    }

    @Test
    public void g_consoleAndMetricsServeHttpsWhenConfigured() throws Exception {
        HttpClient https = HttpClient.newBuilder().sslContext(TestCertificates.clientContext(keystore))
                .connectTimeout(Duration.ofSeconds(5)).build();
        String base = "https://127.0.0.1:" + httpsPort;
        String auth = "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + sluice.adminPassword())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        int[] status = {0};
        assertTrue("HTTPS never answered on " + httpsPort, SluiceDistribution.await(Duration.ofSeconds(20), () -> {
            try {
                status[0] = https.send(HttpRequest.newBuilder(URI.create(base + "/system/console/bundles")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                return true;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }));
        assertEquals("no credentials over HTTPS", 401, status[0]);
        HttpResponse<String> queue = https.send(HttpRequest.newBuilder(URI.create(base + "/system/console/sluice-queue"))
                .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, queue.statusCode());
        assertTrue(queue.body(), queue.body().contains("id='sluice-totals'"));
        HttpResponse<String> metrics = https.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body(), metrics.body().contains("\nsluice_queue_messages 0\n"));
        SluiceDistribution.assertListensOnLoopbackOnly(httpsPort);
    }

    @Test
    public void z_stopsCleanlyOnSigterm() throws Exception {
        int exit = sluice.stop(Duration.ofSeconds(30));
        assertFalse(sluice.isAlive());
        assertEquals("SIGTERM exit status", 143, exit);
    }
}
