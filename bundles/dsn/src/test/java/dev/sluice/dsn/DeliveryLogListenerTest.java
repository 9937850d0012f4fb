package dev.sluice.dsn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.delivery.BounceCategory;
import dev.sluice.api.delivery.BounceClassifier;
import dev.sluice.api.event.DeliveryEvent;
import dev.sluice.api.event.DeliveryEvent.Kind;
import dev.sluice.api.mail.QueueId;
import dev.sluice.api.mail.Reply;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DeliveryLogListenerTest {

    static final Instant AT = Instant.parse("2026-11-23T19:20:01.250Z");
    static final Set<String> FIELDS = Set.of("time", "kind", "queue_id", "message_id", "sender", "recipient",
            "destination", "remote_host", "remote_ip", "tls", "code", "enhanced", "text", "classification",
            "attempt", "size");

    final List<String> lines = new ArrayList<>();
    final List<Reply> classified = new ArrayList<>();
    final BounceClassifier classifier = reply -> {
        classified.add(reply);
        return BounceCategory.BAD_MAILBOX;
    };
    final ObjectMapper json = new ObjectMapper();

    DeliveryLogListener listener(int recentLines) {
        return new DeliveryLogListener(Configs.of(DeliveryLogListener.Config.class, Map.of("recentLines", recentLines)),
                classifier, lines::add);
    }

    static DeliveryEvent event(Kind kind, Reply reply, String classification) {
        return new DeliveryEvent(kind, AT, new QueueId("0Q1A2B3C"), "<m1@sender.example>", "alice@sender.example",
                "bob@example.com", "example.com", "mx.example.com", "192.0.2.25", "TLSv1.3", reply, classification,
                2, 4711);
    }

    JsonNode only() throws IOException {
        assertEquals(1, lines.size());
        return json.readTree(lines.get(0));
    }

    @Test
    void bounceLineHasEveryFieldAndIsClassified() throws IOException {
        listener(10).onEvent(event(Kind.BOUNCED, Reply.of(550, "5.1.1", "user unknown"), null));

        JsonNode line = only();
        assertEquals(FIELDS, fieldNames(line));
        assertEquals("2026-11-23T19:20:01.250Z", line.get("time").asText());
        assertEquals("bounced", line.get("kind").asText());
        assertEquals("0Q1A2B3C", line.get("queue_id").asText());
        assertEquals("<m1@sender.example>", line.get("message_id").asText());
        assertEquals("alice@sender.example", line.get("sender").asText());
        assertEquals("bob@example.com", line.get("recipient").asText());
        assertEquals("example.com", line.get("destination").asText());
        assertEquals("mx.example.com", line.get("remote_host").asText());
        assertEquals("192.0.2.25", line.get("remote_ip").asText());
        assertEquals("TLSv1.3", line.get("tls").asText());
        assertEquals(550, line.get("code").asInt());
        assertTrue(line.get("code").isInt());
        assertEquals("5.1.1", line.get("enhanced").asText());
        assertEquals("user unknown", line.get("text").asText());
        assertEquals("bad-mailbox", line.get("classification").asText());
        assertEquals(2, line.get("attempt").asInt());
        assertEquals(4711, line.get("size").asLong());
    }

    @Test
    void timeHasFixedMillisecondPrecision() throws IOException {
        listener(1).onEvent(new DeliveryEvent(Kind.RECEIVED, Instant.parse("2026-11-23T19:20:00Z"),
                new QueueId("Q1"), null, "", null, null, null, null, null, null, null, 0, 1));
        assertEquals("2026-11-23T19:20:00.000Z", only().get("time").asText());
    }

    @Test
    void givenClassificationIsKeptAndSuccessIsNotClassified() throws IOException {
        DeliveryLogListener listener = listener(10);
        listener.onEvent(event(Kind.DEFERRED, Reply.of(451, "4.7.1", "greylisted"), "policy"));
        listener.onEvent(event(Kind.DELIVERED, Reply.of(250, "2.0.0", "ok"), null));

        assertEquals("policy", json.readTree(lines.get(0)).get("classification").asText());
        assertTrue(json.readTree(lines.get(1)).get("classification").isNull());
        assertEquals(List.of(), classified, "the classifier was not asked");
    }

    @Test
    void receivedLineHasNullsForWhatDoesNotApply() throws IOException {
        listener(10).onEvent(new DeliveryEvent(Kind.RECEIVED, AT, new QueueId("0Q1A2B3C"), null, "", null, null,
                "client.example", "192.0.2.7", null, null, null, 0, 1234));

        JsonNode line = only();
        assertEquals(FIELDS, fieldNames(line));
        assertEquals("", line.get("sender").asText(), "the null sender is an empty string");
        for (String absent : List.of("message_id", "recipient", "destination", "tls", "code", "enhanced", "text",
                "classification")) {
            assertTrue(line.get(absent).isNull(), absent);
        }
    }

    @Test
    void escapingSurvivesAStrictJsonParser() throws IOException {
        String nasty = "quote \" backslash \\ slash / newline \n cr \r tab \t bell \u0007 nul \u0000 del \u007f "
                + "é ü 中文 emoji 😀 line-sep \u2028 end";
        listener(10).onEvent(event(Kind.BOUNCED, Reply.of(550, "5.7.1", nasty.replace("\r", "")), "spam"));
        listener(10).onEvent(new DeliveryEvent(Kind.BOUNCED, AT, new QueueId("X1"), nasty, "sénder@exämple.com",
                "bob@example.com", "example.com", null, null, null, null, null, 1, 1));

        String first = lines.get(0);
        assertFalse(first.contains("\n") || first.contains("\r"), "one physical line");
        assertTrue(first.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "pure printable ASCII: " + first);
        assertTrue(first.contains("\\u00e9") && first.contains("\\ud83d\\ude00"), first);
        assertEquals(nasty.replace("\r", ""), json.readTree(first).get("text").asText());
        JsonNode second = json.readTree(lines.get(1));
        assertEquals(nasty, second.get("message_id").asText());
        assertEquals("sénder@exämple.com", second.get("sender").asText());
    }

    @Test
    void keepsTheLastLinesInMemory() throws IOException {
        DeliveryLogListener listener = listener(3);
        for (int attempt = 1; attempt <= 5; attempt++) {
            listener.onEvent(new DeliveryEvent(Kind.DEFERRED, AT, new QueueId("Q" + attempt), null, "a@b.example",
                    "c@d.example", "d.example", null, null, null, Reply.of(451, "4.4.1", "timeout"), "network",
                    attempt, 1));
        }

        List<String> recent = listener.recentLines();
        assertEquals(3, recent.size());
        assertEquals(List.of("Q3", "Q4", "Q5"), recent.stream().map(this::queueId).toList());
        assertEquals(List.of(), listener(0).recentLines());
    }

    @Test
    void neverThrowsIntoTheDeliveryThread() {
        DeliveryLogListener listener = new DeliveryLogListener(
                Configs.of(DeliveryLogListener.Config.class, Map.of()), reply -> {
                    throw new IllegalStateException("classifier broken");
                }, lines::add);

        listener.onEvent(event(Kind.BOUNCED, Reply.of(550, "5.1.1", "x"), null));

        assertEquals(List.of(), lines, "the line was dropped, not thrown");
    }

    @Test
    void negativeRecentLinesFailsNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> listener(-1));
        assertTrue(e.getMessage().contains("recentLines"), e.getMessage());
    }

    private String queueId(String line) {
        try {
            return json.readTree(line).get("queue_id").asText();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
