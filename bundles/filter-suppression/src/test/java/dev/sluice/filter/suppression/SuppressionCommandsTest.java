package dev.sluice.filter.suppression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuppressionCommandsTest {

    @TempDir
    Path home;
    private SuppressionStore store;
    private SuppressionCommands commands;

    @BeforeEach
    void open() throws Exception {
        store = new SuppressionStore(TestConfig.with("reloadSeconds", 3600), home);
        commands = new SuppressionCommands(store);
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    @Test
    void addCheckCountRemove() throws Exception {
        assertEquals("suppressed a@x.example", commands.add("A@X.example", "complaint", "#12"));
        assertEquals("a@x.example was already suppressed", commands.add("a@x.example"));
        assertEquals("a@x.example is suppressed (address)", commands.check("a@x.example"));
        assertEquals("b@x.example is not suppressed", commands.check("b@x.example"));
        assertTrue(commands.count().endsWith(", 1 managed"), commands.count());
        assertEquals("removed a@x.example", commands.remove("a@x.example"));
        assertEquals("a@x.example is not a managed entry", commands.remove("a@x.example"));
    }

    @Test
    void importThenExportRoundTrips() throws Exception {
        Path csv = home.resolve("in.csv");
        Files.writeString(csv, "email,date\none@x.example,2024-01-01\n\"two.example\",x\nnope@\n# note\none@x.example\n");
        String report = commands._import(csv.toString());
        assertTrue(report.startsWith("2 added, 1 already suppressed, 1 lines skipped:"), report);
        assertTrue(report.contains("line 4"), report);
        commands.add("three@y.example", "by", "hand");
        commands.remove("two.example");
        Path out = home.resolve("out.csv");
        assertEquals("2 entries written to " + out, commands.export(out.toString()));
        List<String> lines = Files.readAllLines(out);
        assertEquals("entry,added,reason", lines.get(0));
        assertTrue(lines.get(1).startsWith("one@x.example,") && lines.get(1).endsWith(",\"import in.csv\""),
                lines.get(1));
        assertTrue(lines.get(2).startsWith("three@y.example,") && lines.get(2).endsWith(",\"shell: by hand\""),
                lines.get(2));
    }
}
