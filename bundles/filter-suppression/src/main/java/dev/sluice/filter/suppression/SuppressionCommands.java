package dev.sluice.filter.suppression;

import dev.sluice.api.mail.MailAddress;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Gogo commands in the {@code suppression} scope. */
@Component(service = Object.class, property = {"osgi.command.scope=suppression", "osgi.command.function=add",
        "osgi.command.function=remove", "osgi.command.function=check", "osgi.command.function=count",
        "osgi.command.function=import", "osgi.command.function=export"})
public final class SuppressionCommands {

    private final SuppressionStore store;

    @Activate
    public SuppressionCommands(@Reference SuppressionStore store) {
        this.store = store;
    }

    @Descriptor("suppress an address or a domain (with its subdomains)")
    public String add(@Descriptor("user@example.com, example.com or @example.com") String entry,
                      @Descriptor("why, for the export") String... reason) throws IOException {
        Entry e = Entry.parse(entry);
        String why = reason.length == 0 ? "shell" : "shell: " + String.join(" ", reason);
        return store.add(List.of(e), why) == 1 ? "suppressed " + e : e + " was already suppressed";
    }

    @Descriptor("remove an entry added by a bounce, the shell or an import")
    public String remove(@Descriptor("the entry as added") String entry) throws IOException {
        Entry e = Entry.parse(entry);
        return store.remove(e) ? "removed " + e : e + " is not a managed entry";
    }

    @Descriptor("is this address suppressed, and by which entry")
    public String check(@Descriptor("user@example.com") String address) {
        MailAddress a = MailAddress.parse(address.strip());
        return store.match(a).map(why -> a + " is suppressed (" + why + ")").orElse(a + " is not suppressed");
    }

    @Descriptor("how many entries the list holds")
    public String count() {
        return store.listedCount() + " from " + store.listFile() + ", " + store.managedCount() + " managed";
    }

    @Descriptor("add every entry of a CSV file (first column: address or domain; # comments)")
    public String _import(@Descriptor("path of the CSV file") String file) throws IOException {
        Path path = Path.of(file);
        List<Entry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        ListFile.read(path, entries::add, problems::add);
        int added = store.add(entries, "import " + path.getFileName());
        StringBuilder out = new StringBuilder(added + " added, " + (entries.size() - added) + " already suppressed");
        if (!problems.isEmpty()) {
            out.append(", ").append(problems.size()).append(" lines skipped:");
            problems.stream().limit(10).forEach(p -> out.append("\n  ").append(p));
        }
        return out.toString();
    }

    @Descriptor("write the managed entries to a CSV file: entry,added,reason (the list file is already a file)")
    public String export(@Descriptor("path of the CSV file to write") String file) throws IOException {
        int[] n = {0};
        try (Writer out = Files.newBufferedWriter(Path.of(file), StandardCharsets.UTF_8)) {
            out.write("entry,added,reason\n");
            IOException[] failure = {null};
            store.forEachManaged(line -> {
                try {
                    out.write(line.entry() + "," + Instant.ofEpochMilli(line.at()) + "," + csv(line.reason()) + "\n");
                    n[0]++;
                } catch (IOException e) {
                    failure[0] = e;
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
        }
        return n[0] + " entries written to " + file;
    }

    private static String csv(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
