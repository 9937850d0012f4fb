package dev.sluice.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.ratelimit.PathStatus;
import dev.sluice.api.ratelimit.Rate;
import dev.sluice.api.ratelimit.Suspension;
import dev.sluice.api.ratelimit.TenantBudgetStatus;
import dev.sluice.api.queue.QueueSummary;
import dev.sluice.api.queue.RecipientStatus;
import dev.sluice.api.queue.TenantWait;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.apache.felix.inventory.Format;
import org.junit.jupiter.api.Test;

class SluiceInventoryPrinterTest {

    private static String print(SluiceInventoryPrinter printer) {
        StringWriter out = new StringWriter();
        printer.print(new PrintWriter(out), Format.TEXT, false);
        return out.toString().replace(System.lineSeparator(), "\n");
    }

    @Test
    void printsQueueAndPathsOrSaysWhatIsMissing() {
        SluiceInventoryPrinter printer = new SluiceInventoryPrinter();
        assertEquals("Queue: not available\nEgress paths: not available\n", print(printer));
        FakeQueueAdmin admin = new FakeQueueAdmin();
        admin.summary = new QueueSummary(5, Map.of(RecipientStatus.DEFERRED, 4L), 1, Map.of("example.net", 5L));
        printer.queueAdmin = admin;
        DestinationsPluginTest.FakeShaper shaper = new DestinationsPluginTest.FakeShaper();
        PathKey key = new PathKey("gmail", "ip1");
        shaper.status = List.of(new PathStatus(key, 2, DestinationsPluginTest.LIMITS, 1, 0,
                new Suspension(key, "operator", null, Samples.T0, Samples.T0.plusSeconds(60), "suspend")));
        printer.shaper = shaper;
        String out = print(printer);
        assertTrue(out.startsWith("Queue: 5 messages, 1 held\n  pending recipients: 0\n  deferred recipients: 4\n"), out);
        assertTrue(out.contains("Destinations (1, largest 50):\n  example.net: 5\n"), out);
        assertTrue(out.endsWith("  ip1->gmail: 2 connections, 5 connections, 10/min new connections, 100 messages/connection,"
                + " 100/s messages, 50 recipients/transaction; suspend by operator until 2026-11-23T10:01:00Z\n"), out);
        assertEquals(List.of("summary"), admin.calls, "only the incremental summary is read");

        shaper.tenantBudgets = List.of(new TenantBudgetStatus("acme", "gmail", null, Rate.parse("5/s"), 5, 0,
                Samples.T0.plusMillis(200), Samples.T0, true));
        admin.tenantWaits = List.of(new TenantWait("acme", "gmail", 7));
        assertTrue(print(printer).endsWith("Tenant budgets used lately:\n  acme -> gmail: 5/s (default), 0 of 5 left, "
                + "next 2026-11-23T10:00:00.200Z, 7 waiting aside, shared, last used 2026-11-23T10:00:00Z\n"));
    }
}
