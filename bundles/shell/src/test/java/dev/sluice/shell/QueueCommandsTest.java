package dev.sluice.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.QueueId;
import dev.sluice.api.queue.QueueEntry;
import dev.sluice.api.queue.QueuePage;
import dev.sluice.api.queue.QueueSummary;
import dev.sluice.api.queue.RecipientStatus;
import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueueCommandsTest {

    private final Fakes.Queue queue = new Fakes.Queue();
    private final QueueCommands commands = new QueueCommands(config(20, 2));

    static QueueCommands.Config config(int limit, int top) {
        return new QueueCommands.Config() {
            public int searchLimit() {
                return limit;
            }

            public int topDestinations() {
                return top;
            }

            public Class<? extends Annotation> annotationType() {
                return QueueCommands.Config.class;
            }
        };
    }

    @Test
    void queuePrintsTotalsAndTheLargestDestinations() {
        commands.queueAdmin = queue;
        queue.summary = new QueueSummary(120, Map.of(RecipientStatus.PENDING, 100L, RecipientStatus.DEFERRED, 30L), 4,
                Map.of("a.example", 5L, "b.example", 90L, "c.example", 25L));
        String out = commands.queue();
        assertTrue(out.startsWith("messages: 120  held: 4\nrecipients: pending 100 deferred 30 delivered 0 bounced 0"
                + " expired 0\ndestinations: 3\n"), out);
        assertTrue(out.contains("b.example    90\nc.example    25\n"), out);
        assertTrue(!out.contains("a.example"), "only the top 2: " + out);
    }

    @Test
    void queueNamesTheDestinationsHeldAsAWhole() {
        commands.queueAdmin = queue;
        assertTrue(!commands.queue().contains("held destinations"), commands.queue());
        queue.heldDestinations = java.util.Set.of("z.example", "a.example");
        String out = commands.queue();
        assertTrue(out.contains("\nheld destinations (new mail kept back too; sluice:release -d <domain>): "
                + "a.example, z.example\n"), out);
    }

    @Test
    void withoutTheSchedulerEveryCommandSaysNotAvailable() {
        IllegalStateException e = assertThrows(IllegalStateException.class, commands::queue);
        assertEquals("queue not available: the scheduler bundle is stopped or being updated", e.getMessage());
        assertThrows(IllegalStateException.class, () -> commands.show("AAA111"));
    }

    @Test
    void searchPassesPagingAndCriteriaAndPrintsAPage() {
        commands.queueAdmin = queue;
        queue.page = new QueuePage(List.of(new QueueEntry(new QueueId("AAA111"), Fakes.T0, true, List.of("example.net"),
                "example.com", 2048, Fakes.T0)), -1, 40);
        String out = commands.search("news", "", "Example.NET", "", false, false, 40, 1);
        assertEquals(List.of("search 40 1"), queue.calls);
        assertEquals("news", queue.lastSelector.sender());
        assertEquals("example.net", queue.lastSelector.destination());
        assertTrue(out.contains("AAA111    2026-11-23T10:00:00Z  2026-11-23T10:00:00Z  held  2048  example.com    example.net"), out);
        assertTrue(out.endsWith("messages 41-41; next page: --offset 41\n"), out);
    }

    @Test
    void searchWithoutCriteriaNeedsAll() {
        commands.queueAdmin = queue;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> commands.search("", "", "", "", false, false, 0, 0));
        assertTrue(e.getMessage().contains("--all"), e.getMessage());
        assertEquals("no matching message\n", commands.search("", "", "", "", false, true, 0, 0));
        assertTrue(queue.lastSelector.everything());
        assertEquals(List.of("search 0 20"), queue.calls);
    }

    @Test
    void showPrintsEnvelopeRecipientsAttemptsAndHeader() throws Exception {
        commands.queueAdmin = queue;
        String out = commands.show("AAA111");
        assertTrue(out.startsWith("queue id: AAA111\nsender: news@example.com\nsize: 2048 bytes\nheld: no\n"), out);
        assertTrue(out.contains("  bob@example.net  DEFERRED  next 2026-11-23T10:05:00Z\n"
                + "    2026-11-23T10:00:00Z mx.example.net[192.0.2.1]: 451 4.7.1 greylisted\n"), out);
        assertTrue(out.contains("  carol@example.org  DELIVERED\n"), out);
        assertTrue(out.endsWith("header:\n  Subject: Hello\n"), out);
    }

    @Test
    void showNamesAMissingOrMalformedId() {
        commands.queueAdmin = queue;
        assertEquals("no message with queue id ZZZ999",
                assertThrows(IllegalArgumentException.class, () -> commands.show("ZZZ999")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> commands.show("a/b")).getMessage()
                .startsWith("not a queue id: a/b"));
    }
}
