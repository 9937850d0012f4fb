package dev.sluice.queue.file;

import dev.sluice.api.mail.QueueId;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Child process of {@link KillNineTest}: commits messages from several threads forever and prints each id
 * only after its commit completed, i.e. the moment an SMTP client would have been told 250.
 */
public final class CrashWriter {

    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        FileSpool spool = new FileSpool(Fixtures.settings(root));
        PrintStream out = new PrintStream(System.out, false, "US-ASCII");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            int n = t;
            pool.execute(() -> {
                try {
                    for (int i = 0; ; i++) {
                        QueueId id = Fixtures.write(spool, Fixtures.envelope("r" + i + "@d" + n + ".example"));
                        synchronized (out) {
                            out.println("OK " + id);
                            out.flush();
                        }
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                }
            });
        }
        out.println("STARTED");
        out.flush();
    }
}
