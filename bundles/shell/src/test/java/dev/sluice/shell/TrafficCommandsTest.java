package dev.sluice.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.Reply;
import dev.sluice.api.queue.TenantWait;
import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.ratelimit.PathStatus;
import dev.sluice.api.ratelimit.Rate;
import dev.sluice.api.ratelimit.Suspension;
import dev.sluice.api.ratelimit.TenantBudgetStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficCommandsTest {

    private final List<String> audit = new ArrayList<>();
    private final FakeShaper shaper = new FakeShaper();
    private final TrafficCommands commands = new TrafficCommands(Fakes.audit(audit), Fakes.CLOCK);

    @Test
    void destinationsListsPathsWithSuspensions() {
        commands.shaper = shaper;
        PathKey yahoo = new PathKey("yahoo", "ip2");
        shaper.status = List.of(new PathStatus(yahoo, 0, FakeShaper.LIMITS, 0, 7.5,
                        new Suspension(yahoo, "ts-421", Reply.of(421, "4.7.0", "TS03"), Fakes.T0, Fakes.T0.plusSeconds(3600), "suspend")),
                new PathStatus(new PathKey("gmail", "ip1"), 3, FakeShaper.LIMITS, 120.25, 0, null));
        String out = commands.destinations();
        assertEquals("SITE   SOURCE  CONNECTIONS  MSG/MIN  DEFER/MIN  SUSPENSION\n"
                + "gmail  ip1     3/4          120.3    0.0        -\n"
                + "yahoo  ip2     0/4          0.0      7.5        suspend (ts-421) since 2026-11-23T10:00:00Z until"
                + " 2026-11-23T11:00:00Z after 421 4.7.0 TS03\n", out);
    }

    @Test
    void tenantBudgetsFollowThePathsWithTheMessagesWaitingAsideForThem() {
        commands.shaper = shaper;
        Fakes.Queue queue = new Fakes.Queue();
        commands.queueAdmin = queue;
        shaper.status = List.of(new PathStatus(new PathKey("gmail", "ip1"), 2, FakeShaper.LIMITS, 60, 0, null));
        shaper.tenantBudgets = List.of(
                new TenantBudgetStatus("bob", "gmail", null, Rate.parse("2/s"), 2, 1, Fakes.T0, Fakes.T0.minusSeconds(90),
                        false),
                new TenantBudgetStatus("acme", "gmail", "acme-gmail", Rate.parse("5/s"), 5, 0,
                        Fakes.T0.plusMillis(199), Fakes.T0.minusMillis(1), true));
        queue.tenantWaits = List.of(new TenantWait("acme", "gmail", 12), new TenantWait("carol", "gone", 3));
        String out = commands.destinations();
        assertTrue(out.endsWith("\ntenant budgets used lately:\n"
                + "TENANT  SITE   RULE        RATE  LEFT  NEXT       WAITING  SHARED  LAST USE\n"
                + "acme    gmail  acme-gmail  5/s   0/5   in 199 ms  12       yes     1 ms ago\n"
                + "bob     gmail  (default)   2/s   1/2   now        0        no      1 min ago\n"
                + "carol   gone   -           -     -     -          3        -       -\n"), out);
        assertTrue(out.startsWith("SITE   SOURCE"), out);
        assertEquals("ip1->gmail: 4 connections, 20/min new connections, 50 messages/connection, 10/s messages,"
                + " 100 recipients/transaction\ntenant acme: 5/s messages (rule acme-gmail)\n"
                + "tenant bob: 2/s messages (defaultTenantMessageRate)\n", commands.limits("gmail"));

        commands.queueAdmin = null;
        assertTrue(commands.destinations().contains("(WAITING ?: the scheduler is not available)"));
    }

    @Test
    void emptyStatusAndMissingShaperAreSaid() {
        assertTrue(assertThrows(IllegalStateException.class, commands::destinations).getMessage()
                .startsWith("traffic shaper not available"));
        commands.shaper = shaper;
        assertEquals("no path has traffic or a suspension\n", commands.destinations());
    }

    @Test
    void suspendAndResumeAreAudited() {
        commands.shaper = shaper;
        assertEquals("suspended gmail until 2026-11-23T10:30:00Z\n", commands.suspend("complaints", "gmail", 30));
        assertEquals("resumed gmail\n", commands.resume("gmail"));
        assertEquals("nothing to resume for other\n", commands.resume("other"));
        assertEquals(List.of("suspend gmail PT30M complaints", "resume gmail", "resume other"), shaper.calls);
        assertTrue(audit.get(0).contains("action=\"destinations.suspend\" target=\"gmail\""), audit.toString());
        assertEquals(3, audit.size());
        assertThrows(IllegalArgumentException.class, () -> commands.suspend("x", "gmail", 0));
    }

    @Test
    void limitsOfASiteOrOnePath() {
        commands.shaper = shaper;
        shaper.status = List.of(new PathStatus(new PathKey("gmail", "ip1"), 1, FakeShaper.LIMITS, 0, 0, null));
        assertEquals("ip1->gmail: 4 connections, 20/min new connections, 50 messages/connection, 10/s messages,"
                + " 100 recipients/transaction\n", commands.limits("gmail"));
        assertTrue(commands.limits("quiet", "ip9").startsWith("ip9->quiet: 4 connections"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> commands.limits("quiet"));
        assertTrue(e.getMessage().contains("sluice:limits quiet <source>"), e.getMessage());
    }
}
