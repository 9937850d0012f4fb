package dev.sluice.itests.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/** The distribution as a user gets it: unpacked, started with bin/sluice, stopped with SIGTERM. */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class DistributionIT {

    private static SluiceDistribution sluice;
    private static Duration startup;

    @BeforeClass
    public static void startDistribution() throws Exception {
        sluice = SluiceDistribution.unpack("distribution").start();
        startup = sluice.awaitAllBundlesActive(Duration.ofSeconds(90));
        System.out.println("Sluice: all bundles active " + startup.toMillis() + " ms after bin/sluice started");
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
        String portHex = String.format("%04X", sluice.httpPort());
        List<String> listeners = new java.util.ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Files.readAllLines(Path.of(table)).stream().skip(1).map(String::trim).map(l -> l.split("\\s+"))
                    .filter(f -> f[1].endsWith(":" + portHex) && f[3].equals("0A"))
                    .forEach(f -> listeners.add(f[1].substring(0, f[1].indexOf(':'))));
        }
        assertFalse("nothing listens on the HTTP port", listeners.isEmpty());
        List<String> loopback = List.of("0100007F", "0000000000000000FFFF00000100007F",
                "00000000000000000000000001000000");
        assertTrue("HTTP must listen on loopback only, listens on " + listeners, loopback.containsAll(listeners));
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
    public void z_stopsCleanlyOnSigterm() throws Exception {
        int exit = sluice.stop(Duration.ofSeconds(30));
        assertFalse(sluice.isAlive());
        assertEquals("SIGTERM exit status", 143, exit);
    }
}
