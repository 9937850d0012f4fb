package dev.sluice.filter.suppression;

import dev.sluice.api.mail.MailAddress;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Not a test (surefire skips it): loads a list file of N addresses and times lookups. Run with
 * {@code java -Xmx1g -cp <test and main classes, api, slf4j> dev.sluice.filter.suppression.SuppressionBench 10000000}.
 */
public final class SuppressionBench {

    private SuppressionBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        Path home = Files.createTempDirectory("suppression-bench");
        Path list = home.resolve("conf/suppression.txt");
        Files.createDirectories(list.getParent());
        try (BufferedWriter out = Files.newBufferedWriter(list, StandardCharsets.UTF_8)) {
            for (int i = 0; i < n; i++) {
                out.write("user" + i + "@domain" + (i % 50_000) + ".example\n");
            }
        }
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heapBefore = rt.totalMemory() - rt.freeMemory();
        long t0 = System.nanoTime();
        SuppressionStore store = new SuppressionStore(TestConfig.with("reloadSeconds", 3600), home);
        long loadMs = (System.nanoTime() - t0) / 1_000_000;
        System.gc();
        long heapAfter = rt.totalMemory() - rt.freeMemory();
        int lookups = 1_000_000;
        int hits = 0;
        long t1 = System.nanoTime();
        for (int i = 0; i < lookups; i++) {
            // half present, half absent (other local part)
            String local = (i % 2 == 0 ? "user" : "nobody") + (i * 7L % n);
            if (store.match(new MailAddress(local, "domain" + (i * 7L % n % 50_000) + ".example")).isPresent()) {
                hits++;
            }
        }
        long lookupNs = (System.nanoTime() - t1) / lookups;
        System.out.printf("%d entries: load %d ms, heap +%d MB, %d ns per lookup (%d hits of %d)%n", n, loadMs,
                (heapAfter - heapBefore) >> 20, lookupNs, hits, lookups);
        store.close();
        Files.delete(list);
        Files.delete(list.getParent());
        try (var files = Files.walk(home)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
