package dev.sluice.queue.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.QueueId;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real SIGKILL in the middle of concurrent commits: every acknowledged message must survive intact. */
class KillNineTest {

    private static final int ACKNOWLEDGED_BEFORE_KILL = 500;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void everyAcknowledgedMessageSurvivesKillNine() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), dir.toString(), "8")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Set<QueueId> acknowledged = new LinkedHashSet<>();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("OK ")) {
                    acknowledged.add(new QueueId(line.substring(3)));
                    if (acknowledged.size() == ACKNOWLEDGED_BEFORE_KILL) {
                        break;
                    }
                }
            }
        } finally {
            child.destroyForcibly(); // SIGKILL while the writers are mid-stream
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(acknowledged.size() >= ACKNOWLEDGED_BEFORE_KILL, "child acknowledged " + acknowledged.size());

        try (FileSpool spool = new FileSpool(Fixtures.settings(dir))) {
            SpoolRecovery.Stats stats = Fixtures.await(spool.recovered());
            for (QueueId id : acknowledged) {
                assertTrue(spool.get(id).isPresent(), "acknowledged " + id + " lost");
                Fixtures.assertIntact(spool, id);
            }
            assertEquals(0, stats.quarantined());
            assertTrue(stats.recovered() >= acknowledged.size());
            assertEquals(List.of(), Fixtures.files(dir).stream()
                    .filter(f -> f.toString().endsWith(SpoolLayout.TEMP_SUFFIX)).toList());
        }
    }
}
