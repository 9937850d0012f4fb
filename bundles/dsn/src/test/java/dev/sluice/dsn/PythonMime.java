package dev.sluice.dsn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/** Parses a message with Python's email package (an independent MIME parser) and returns its JSON summary. */
final class PythonMime {

    private PythonMime() {
    }

    static JsonNode parse(byte[] message, Path dir) throws Exception {
        Path script = dir.resolve("parse_mime.py");
        try (InputStream in = PythonMime.class.getResourceAsStream("parse_mime.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Path file = Files.write(dir.resolve("message.eml"), message);
        Path stderr = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder("python3", script.toString(), file.toString())
                .redirectError(stderr.toFile()).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "python3 did not finish");
        assertEquals(0, process.exitValue(), () -> "python3 failed: " + read(stderr));
        return new ObjectMapper().readTree(out);
    }

    /** The value of the first field of that name in a list of [name, value] pairs, or null. */
    static String field(JsonNode pairs, String name) {
        for (JsonNode pair : pairs) {
            if (pair.get(0).asText().equalsIgnoreCase(name)) {
                return pair.get(1).asText();
            }
        }
        return null;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
