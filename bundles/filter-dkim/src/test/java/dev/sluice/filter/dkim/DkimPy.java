package dev.sluice.filter.dkim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The independent verifier: Debian's python3-dkim (dkimpy) run on message files through
 * {@code src/test/resources/dkim_verify.py}, with the DNS records from a file instead of the network.
 */
final class DkimPy {

    static final String PYTHON = "/usr/bin/python3";

    private DkimPy() {
    }

    /** Verifies every message in one run; returns each file's "PASS …" or "FAIL …" line. */
    static Map<Path, String> verify(Path dir, Map<String, String> records, List<Path> messages)
            throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(Path.of(PYTHON)), PYTHON + " is missing: install python3-dkim");
        StringBuilder zone = new StringBuilder();
        records.forEach((name, text) -> zone.append(name).append(' ').append(text).append('\n'));
        Path recordFile = Files.writeString(Files.createTempFile(dir, "records", ".txt"), zone);
        Path script = Path.of("src/test/resources/dkim_verify.py").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(PYTHON, script.toString(), recordFile.toString()));
        messages.forEach(m -> command.add(m.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "dkimpy did not finish");
            assertTrue(p.exitValue() <= 1, "dkimpy could not run (exit " + p.exitValue() + "): " + output);
            Map<Path, String> results = new HashMap<>();
            for (String line : output.split("\n")) {
                String[] parts = line.split(" ", 3);
                if (parts.length >= 2 && (parts[0].equals("PASS") || parts[0].equals("FAIL"))) {
                    results.put(Path.of(parts[1]), line);
                }
            }
            assertTrue(results.size() == messages.size(), "not one result per message: " + output);
            return results;
        } finally {
            p.destroyForcibly();
        }
    }
}
