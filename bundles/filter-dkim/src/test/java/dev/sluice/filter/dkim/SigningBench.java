package dev.sluice.filter.dkim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not a test: skipped unless asked for, e.g.
 * {@code mvn -B -o -q -pl bundles/filter-dkim surefire:test -Dtest=SigningBench -Dsluice.bench=signing
 * -DargLine=-Xmx32m -Dbench.megabytes=50}. The small heap shows that the body is streamed, never held.
 */
@Tag("bench")
@EnabledIfSystemProperty(named = "sluice.bench", matches = "signing")
class SigningBench {

    @TempDir
    Path dir;

    @Test
    void signLargeMessages() throws Exception {
        long megabytes = Long.getLong("bench.megabytes", 50);
        Path message = Messages.large(dir.resolve("large.eml"), megabytes << 20);
        TestKeys.write(dir, "rsa.pem", TestKeys.pkcs8Pem(TestKeys.rsa(2048)));
        TestKeys.write(dir, "ed.pem", TestKeys.pkcs8Pem(TestKeys.ed25519()));
        System.out.printf("message %.1f MB, max heap %d MB%n", Files.size(message) / 1e6,
                Runtime.getRuntime().maxMemory() >> 20);
        int id = 0;
        for (String selector : List.of("rsa", "ed")) {
            for (String canon : List.of("relaxed/relaxed", "simple/simple")) {
                DkimSigningFilter filter = new DkimSigningFilter(Configs.of("domain", "example.com", "selector",
                        selector, "algorithm", selector.equals("rsa") ? "rsa-sha256" : "ed25519-sha256", "keyFile",
                        selector + ".pem", "canonicalization", canon), dir, Clock.systemUTC());
                Content content = Content.of(message);
                var request = Delivery.request("B" + id++, content);
                for (int round = 0; round < 3; round++) {
                    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
                    long cpu = threads.getCurrentThreadCpuTime();
                    long start = System.nanoTime();
                    DkimSigningFilterTest.signature(Delivery.verdict(filter, request));
                    double ms = (System.nanoTime() - start) / 1e6;
                    double cpuMs = (threads.getCurrentThreadCpuTime() - cpu) / 1e6;
                    System.out.printf("%s %s attempt %d: %.0f ms wall, %.0f ms CPU (%.0f MB/s of CPU)%n", selector,
                            canon, round + 1, ms, cpuMs, Files.size(message) / 1e3 / cpuMs);
                }
                assertTrue(content.bytesRead.get() >= Files.size(message));
            }
        }
    }
}
