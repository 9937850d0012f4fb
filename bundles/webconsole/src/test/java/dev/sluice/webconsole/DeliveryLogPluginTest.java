package dev.sluice.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliveryLogPluginTest {

    @TempDir
    Path home;

    static String line(int n, String kind, String recipient, String destination) {
        return "{\"time\":\"2026-11-23T10:00:0" + (n % 10) + "Z\",\"kind\":\"" + kind + "\",\"queue_id\":\"Q" + n
                + "\",\"message_id\":null,\"sender\":\"<script>s</script>@example.com\",\"recipient\":\"" + recipient
                + "\",\"destination\":\"" + destination + "\",\"remote_host\":null,\"remote_ip\":null,\"tls\":null,"
                + "\"code\":250,\"enhanced\":\"2.0.0\",\"text\":\"ok \\\"queued\\\"\",\"classification\":null,"
                + "\"attempt\":1,\"size\":10}";
    }

    static DeliveryLogPlugin.Config config(int lines, int kib) {
        return new DeliveryLogPlugin.Config() {
            public String logFile() {
                return "log/delivery.log";
            }

            public int lines() {
                return lines;
            }

            public int maxScanKilobytes() {
                return kib;
            }

            public Class<? extends Annotation> annotationType() {
                return DeliveryLogPlugin.Config.class;
            }
        };
    }

    private String render(DeliveryLogPlugin plugin, FakeHttp http) throws Exception {
        plugin.renderContent(http.request(), http.response());
        return http.html();
    }

    @Test
    void newestMatchingLinesFirstEscapedAndFiltered() throws Exception {
        Files.createDirectories(home.resolve("log"));
        Files.write(home.resolve("log/delivery.log"), List.of(line(1, "delivered", "a@x.example", "x.example"),
                line(2, "bounced", "b@y.example", "y.example"), line(3, "delivered", "c@y.example", "y.example"),
                "not json <b>", line(4, "deferred", "d@y.example", "y.example")));
        DeliveryLogPlugin plugin = new DeliveryLogPlugin(home, config(100, 64));
        String all = render(plugin, new FakeHttp("alice"));
        assertFalse(all.contains("<script>") || all.contains("<b>"), all);
        assertTrue(all.contains("&lt;script&gt;s&lt;/script&gt;@example.com"), all);
        assertTrue(all.contains("ok &#34;queued&#34;") || all.contains("ok &quot;queued&quot;"), all);
        assertTrue(all.indexOf(">Q4<") < all.indexOf(">Q3<") && all.indexOf(">Q3<") < all.indexOf(">Q1<"), all);
        assertTrue(all.contains("5 line(s)"), all);

        String filtered = render(plugin, new FakeHttp("alice").param("domain", "Y.example").param("outcome", "delivered"));
        assertTrue(filtered.contains(">Q3<") && !filtered.contains(">Q2<") && !filtered.contains(">Q1<"), filtered);
        String byRecipient = render(plugin, new FakeHttp("alice").param("recipient", "b@"));
        assertTrue(byRecipient.contains("1 line(s)") && byRecipient.contains(">Q2<"), byRecipient);
    }

    @Test
    void onlyTheByteBudgetFromTheEndIsRead() throws Exception {
        Path file = home.resolve("big.log");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            lines.add(String.format("line %05d %s", i, "x".repeat(80)));
        }
        Files.write(file, lines);
        List<String> tail = LogTail.read(file, 1_000_000, 10 * 1024, l -> true);
        assertEquals("line 04999 " + "x".repeat(80), tail.get(0));
        assertTrue(tail.size() < 120 && tail.size() > 100, "about 10 KiB of 92-byte lines: " + tail.size());
        assertTrue(tail.get(tail.size() - 1).startsWith("line 0"), "no partial line at the cut: " + tail.get(tail.size() - 1));
        List<String> three = LogTail.read(file, 3, Long.MAX_VALUE, l -> l.contains("line 01"));
        assertEquals(List.of("line 01999", "line 01998", "line 01997"), three.stream().map(l -> l.substring(0, 10)).toList());
        List<String> whole = LogTail.read(file, 10_000, Long.MAX_VALUE, l -> true);
        assertEquals(5000, whole.size());
        assertEquals("line 00000", whole.get(4999).substring(0, 10));
    }

    @Test
    void aMissingLogIsReportedNotAnError() throws Exception {
        String html = render(new DeliveryLogPlugin(home, config(10, 10)), new FakeHttp("alice"));
        assertTrue(html.contains("No delivery log yet"), html);
    }

    @Test
    void logLinesParseIntoFields() {
        var f = LogLine.parse(line(7, "expired", "r@z.example", "z.example"));
        assertEquals("expired", f.get("kind"));
        assertEquals("250", f.get("code"));
        assertEquals("ok \"queued\"", f.get("text"));
        assertEquals(null, f.get("message_id"));
        assertTrue(LogLine.parse("{\"a\":").isEmpty());
    }
}
