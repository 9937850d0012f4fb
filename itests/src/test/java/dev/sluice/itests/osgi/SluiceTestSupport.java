package dev.sluice.itests.osgi;

import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;

/**
 * The framework every pax-exam test runs in: the core, admin and mta features, a private home directory
 * (spool, conf, deploy) and the HTTP service on a random loopback port.
 */
public abstract class SluiceTestSupport {

    @Configuration
    public Option[] configuration() {
        Path home = newHome();
        return OptionUtils.combine(options(
                junitBundles(),
                cleanCaches(true),
                systemProperty("dnsjava.nio.register_shutdown_hook").value("false"),
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                // Gogo's banner and prompt would go to the fork's native stdout, which is surefire's channel:
                // the corrupted channel loses the exit handshake and the fork then hangs 30 s before it is killed.
                frameworkProperty("gosh.args").value("--nointeractive"),
                frameworkProperty("sluice.home").value(home.toString()),
                frameworkProperty("felix.fileinstall.dir").value(home.resolve("deploy").toString()),
                frameworkProperty("felix.fileinstall.poll").value("200"),
                frameworkProperty("felix.fileinstall.noInitialDelay").value("true"),
                frameworkProperty("org.apache.felix.http.host").value("127.0.0.1"),
                frameworkProperty("org.osgi.service.http.port").value("0"),
                frameworkProperty("felix.webconsole.security.providers").value("sluice")),
                OptionUtils.combine(Features.bundles("core", "admin", "mta"), extraOptions()));
    }

    /** Options a test class adds (extra bundles, properties). */
    protected Option[] extraOptions() {
        return new Option[0];
    }

    private static Path newHome() {
        try {
            Path work = Path.of(System.getProperty("sluice.itests.work", "target/work"));
            Files.createDirectories(work);
            Path home = Files.createTempDirectory(work, "osgi-");
            Files.createDirectories(home.resolve("deploy"));
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls until the condition holds or the deadline passes; returns whether it held. */
    public static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
        }
        return condition.getAsBoolean();
    }
}
