package dev.sluice.itests.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** log/delivery.log as written so far: one JSON object per event (fields in bundles/dsn/README.md). */
public record DeliveryLog(List<DeliveryLog.Line> lines) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One event. */
    public record Line(JsonNode json) {
        /** A text field; null when absent or JSON null. */
        public String text(String field) {
            JsonNode v = json.get(field);
            return v == null || v.isNull() ? null : v.asText();
        }

        public int number(String field) {
            return json.path(field).asInt();
        }

        public String kind() {
            return text("kind");
        }

        @Override
        public String toString() {
            return json.toString();
        }
    }

    static DeliveryLog read(Path file) throws IOException {
        List<Line> lines = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                // the async appender may be between a line and its end: only whole lines count
                if (line.startsWith("{") && line.endsWith("}")) {
                    lines.add(new Line(JSON.readTree(line)));
                }
            }
        }
        return new DeliveryLog(List.copyOf(lines));
    }

    /** The events about one recipient, in log order. */
    public List<Line> forRecipient(String recipient) {
        return where(l -> recipient.equals(l.text("recipient")));
    }

    /** The kinds of the events about one recipient, in log order (e.g. deferred, delivered). */
    public List<String> kinds(String recipient) {
        return forRecipient(recipient).stream().map(Line::kind).toList();
    }

    public List<Line> where(Predicate<Line> condition) {
        return lines.stream().filter(condition).toList();
    }

    public List<Line> ofKind(String kind) {
        return where(l -> kind.equals(l.kind()));
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        lines.forEach(l -> s.append(l).append('\n'));
        return s.toString();
    }
}
