package dev.sluice.itests.e2e;

import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Clients that send one-recipient messages to a listener without pause, as a sending application would: a
 * message refused with 4xx, or whose connection is refused or dropped, is sent again (same Message-ID) on a new
 * connection. Records every 250 with its time, and every failure by kind.
 */
public final class ContinuousLoad implements AutoCloseable {

    private final int port;
    private final String tag;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> clients = new ArrayList<>();
    /** Message-ID (without brackets) → when it got its 250, in nanoTime. */
    private final Map<String, Long> accepted = new ConcurrentHashMap<>();
    /** Message-IDs whose final reply never came (the connection dropped after the dot): maybe stored. */
    private final Set<String> uncertain = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final List<String> permanent = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final long pauseNanos;

    public ContinuousLoad(int port, String tag, int parallel, int messagesPerSecondPerClient) {
        this.port = port;
        this.tag = tag;
        this.pauseNanos = 1_000_000_000L / messagesPerSecondPerClient;
        for (int i = 0; i < parallel; i++) {
            int client = i;
            Thread t = new Thread(() -> run(client), "load-" + tag + "-" + i);
            t.setDaemon(true);
            clients.add(t);
            t.start();
        }
    }

    public Map<String, Long> accepted() {
        return Map.copyOf(accepted);
    }

    public int acceptedCount() {
        return accepted.size();
    }

    public Set<String> uncertain() {
        return Set.copyOf(uncertain);
    }

    /** Failed attempts by kind, e.g. "421 at MAIL", "connection refused", "dropped at DATA". */
    public Map<String, Integer> failures() {
        Map<String, Integer> copy = new java.util.TreeMap<>();
        failures.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /** Replies 5xx: the message was refused for good. A swap must never cause one. */
    public List<String> permanentFailures() {
        return List.copyOf(permanent);
    }

    /** The longest time between two 250s (any client) within [from, to], in ms. */
    public long longestGapMillis(long fromNanos, long toNanos) {
        long[] times = accepted.values().stream().mapToLong(Long::longValue).filter(t -> t >= fromNanos && t <= toNanos)
                .sorted().toArray();
        long previous = fromNanos;
        long longest = 0;
        for (long t : times) {
            longest = Math.max(longest, t - previous);
            previous = t;
        }
        return Math.max(longest, toNanos - previous) / 1_000_000;
    }

    /**
     * Every accepted message arrives at the receiver within the timeout; copies beyond one (deliveries in flight when
     * a bundle was replaced) are reported, and nothing arrives that was never accepted.
     */
    public void assertAllArrived(TestSmtpServer receiver, java.time.Duration timeout) throws InterruptedException {
        Set<String> sent = accepted().keySet();
        boolean arrived = SluiceDistribution.await(timeout, () -> MailLoad.ids(receiver.received()).containsAll(sent));
        Map<String, Integer> copies = new java.util.HashMap<>();
        MailLoad.ids(receiver.received()).forEach(id -> copies.merge(id, 1, Integer::sum));
        List<String> lost = sent.stream().filter(id -> !copies.containsKey(id)).sorted().toList();
        long duplicated = copies.values().stream().filter(c -> c > 1).count();
        System.out.println("accepted " + sent.size() + ", received " + copies.size() + " distinct, lost "
                + lost.size() + ", duplicated " + duplicated + " (" + copies.values().stream().mapToInt(c -> c - 1)
                .sum() + " extra copies), unanswered at the client " + uncertain().size());
        org.junit.Assert.assertTrue("lost " + lost.size() + " accepted messages: " + lost.stream().limit(20).toList(),
                arrived);
        List<String> unexpected = copies.keySet().stream()
                .filter(id -> id.startsWith(tag + "-") && !sent.contains(id) && !uncertain().contains(id)).limit(20)
                .toList();
        org.junit.Assert.assertEquals("delivered although never accepted", List.of(), unexpected);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : clients) {
            t.join(70_000);
        }
    }

    private void run(int client) {
        SmtpClient c = null;
        long sequence = 0;
        String id = null;
        while (running.get()) {
            if (id == null) {
                id = tag + "-" + client + "-" + sequence++ + "@load.test";
            }
            String stage = "connect";
            try {
                if (c == null) {
                    c = new SmtpClient(port);
                }
                stage = "MAIL";
                String reply = c.command("MAIL FROM:<load@sender.test>");
                if (reply.startsWith("250")) {
                    stage = "RCPT";
                    reply = c.command("RCPT TO:<rcpt" + client + "@receiver.test>");
                }
                if (reply.startsWith("250")) {
                    stage = "DATA";
                    reply = c.command("DATA");
                }
                if (reply.startsWith("354")) {
                    stage = "end of data";
                    uncertain.add(id);
                    reply = c.command(MailLoad.message(id, "receiver.test").replaceAll("\r\n$", "") + "\r\n.");
                    uncertain.remove(id);
                }
                if (reply.startsWith("250")) {
                    accepted.put(id, System.nanoTime());
                    id = null;
                    LockSupport.parkNanos(pauseNanos);
                    continue;
                }
                count(reply.substring(0, 3) + " at " + stage);
                if (reply.startsWith("5")) {
                    permanent.add(id + ": " + reply + " at " + stage);
                    id = null;
                }
                if (reply.startsWith("421")) {
                    c.close();
                    c = null;
                } else {
                    c.command("RSET");
                }
            } catch (ConnectException e) {
                count("connection refused");
                c = null;
            } catch (IOException e) {
                count((e.getMessage() != null && e.getMessage().contains("got: ") ? "refused " : "dropped ")
                        + "at " + stage);
                if (c != null) {
                    c.close();
                }
                c = null;
            }
            LockSupport.parkNanos(20_000_000L); // retry soon, as a sending MTA with a short retry would
        }
        if (c != null) {
            c.close();
        }
    }

    private void count(String kind) {
        failures.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }
}
