package dev.sluice.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueueActionCommandsTest {

    private final List<String> audit = new ArrayList<>();
    private final Fakes.Queue queue = new Fakes.Queue();
    private final QueueActionCommands commands = new QueueActionCommands(Fakes.audit(audit));

    @Test
    void refusesTheWholeQueueWithoutAll() {
        commands.queueAdmin = queue;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> commands.delete(false, "", "", "", ""));
        assertTrue(e.getMessage().startsWith("refusing to act on the whole queue without --all"), e.getMessage());
        assertEquals(List.of(), queue.calls);
        assertEquals(List.of(), audit);
    }

    @Test
    void allActsOnEverythingAndIsAudited() throws Exception {
        commands.queueAdmin = queue;
        assertEquals("release: 3 message(s) (all)\n", commands.release(true, "", "", "", ""));
        assertEquals(List.of("release all"), queue.calls);
        assertEquals("at=2026-11-23T10:00:00Z via=shell user=\"postmaster\" action=\"queue.release\" target=\"all\""
                + " result=\"3 message(s)\"", audit.get(0));
    }

    @Test
    void idsActOneByOneAndNameTheMissingOnes() throws Exception {
        commands.queueAdmin = queue;
        assertEquals("hold: 1 message(s)\n", commands.hold(false, "", "", "", "", "AAA111"));
        assertEquals("retry: 2 message(s); no message with queue id CCC333\n",
                commands.retry(false, "", "", "", "", "AAA111", "CCC333", "BBB222"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> commands.bounce(false, "", "", "", "", "CCC333"));
        assertEquals("no message with queue id CCC333", e.getMessage());
        assertEquals(5, audit.size());
        assertTrue(audit.get(4).contains("action=\"queue.bounce\" target=\"id=CCC333\" result=\"0 message(s)\""), audit.toString());
    }

    @Test
    void optionsSelectMessages() throws Exception {
        commands.queueAdmin = queue;
        assertEquals("bounce: 3 message(s) (sender=promo destination=example.net)\n",
                commands.bounce(false, "promo", "", "EXAMPLE.net", ""));
        assertEquals(List.of("bounce sender=promo,destination=example.net"), queue.calls);
    }

    @Test
    void aRunawaySenderDomainIsPurgedInOneOperation() throws Exception {
        commands.queueAdmin = queue;
        assertEquals("delete: 3 message(s) (sender-domain=spam.example)\n",
                commands.delete(false, "", "", "", "Spam.EXAMPLE"));
        assertEquals("spam.example", queue.lastSelector.senderDomain());
        assertEquals(null, queue.lastSelector.sender());
        assertEquals(1, queue.calls.size());
        assertThrows(IllegalArgumentException.class, () -> commands.delete(false, "", "", "", "not a domain!"));
    }

    @Test
    void mixingIdsOptionsAndAllIsRefused() {
        commands.queueAdmin = queue;
        assertThrows(IllegalArgumentException.class, () -> commands.delete(true, "", "", "", "", "AAA111"));
        assertThrows(IllegalArgumentException.class, () -> commands.delete(false, "x", "", "", "", "AAA111"));
        assertEquals(List.of(), queue.calls);
    }

    @Test
    void withoutTheSchedulerTheActionSaysNotAvailable() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> commands.hold(true, "", "", "", ""));
        assertTrue(e.getMessage().startsWith("queue not available"), e.getMessage());
    }
}
