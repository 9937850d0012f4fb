package dev.sluice.itests.e2e;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Submits numbered test messages to a node's listener over a few parallel connections, each one checked for 250. */
public final class MailLoad {

    private MailLoad() {
    }

    /**
     * Sends {@code count} one-recipient messages to {@code user@domain}, each with Message-ID {@code <tag-i@sluice.test>};
     * returns those ids. Every message is accepted (250) or this throws.
     */
    public static List<String> submit(int port, String domain, String tag, int count, int parallel) throws Exception {
        return submit(port, domain, tag, count, parallel, "");
    }

    /** As {@link #submit(int, String, String, int, int)}, with {@code headers} (CRLF-terminated fields) on top. */
    public static List<String> submit(int port, String domain, String tag, int count, int parallel, String headers)
            throws Exception {
        return submit(port, "sender@sluice.test", domain, tag, count, parallel, headers);
    }

    /** As {@link #submit(int, String, String, int, int, String)}, from the envelope sender {@code sender}. */
    public static List<String> submit(int port, String sender, String domain, String tag, int count, int parallel,
                                      String headers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<List<String>>> parts = new ArrayList<>();
            for (int p = 0; p < parallel; p++) {
                int first = p;
                parts.add(pool.submit(() -> {
                    List<String> ids = new ArrayList<>();
                    try (SmtpClient client = new SmtpClient(port)) {
                        for (int i = first; i < count; i += parallel) {
                            String id = tag + "-" + i + "@sluice.test";
                            String reply = client.send(sender, List.of("user" + i + "@" + domain),
                                    headers + message(id, domain));
                            if (!reply.startsWith("250")) {
                                throw new IOException("message " + id + " refused: " + reply);
                            }
                            ids.add(id);
                        }
                    }
                    return ids;
                }));
            }
            List<String> all = new ArrayList<>();
            for (Future<List<String>> f : parts) {
                all.addAll(f.get(120, TimeUnit.SECONDS));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    static String message(String id, String domain) {
        return "From: <sender@sluice.test>\r\nTo: <user@" + domain + ">\r\nSubject: load " + id + "\r\nMessage-ID: <"
                + id + ">\r\n\r\nbody of " + id + "\r\n";
    }

    /** The Message-IDs (without brackets) of what a receiver accepted. */
    public static List<String> ids(List<ReceivedMessage> received) {
        return received.stream().map(m -> m.header("Message-ID")).map(h -> h == null ? "" : h.replaceAll("[<>]", ""))
                .toList();
    }
}
