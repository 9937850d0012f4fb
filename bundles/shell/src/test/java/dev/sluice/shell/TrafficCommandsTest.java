package dev.sluice.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.Reply;
import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.ratelimit.PathStatus;
import dev.sluice.api.ratelimit.Suspension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficCommandsTest {

    private final List<String> audit = new ArrayList<>();
    private final FakeShaper shaper = new FakeShaper();
    private final TrafficCommands commands = new TrafficCommands(Fakes.audit(audit));

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
