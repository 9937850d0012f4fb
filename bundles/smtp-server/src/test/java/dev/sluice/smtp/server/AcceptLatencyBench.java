package dev.sluice.smtp.server;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Not a unit test (surefire skips it): accept latency from TCP connect to the 250 after DATA, 1 KB messages,
 * against an in-memory queue, so it measures the listener alone. Run with
 * {@code java -cp target/classes:target/test-classes:<deps> dev.sluice.smtp.server.AcceptLatencyBench 20 20000}.
 * A third argument, a port on 127.0.0.1, measures a running listener instead (e.g. the distribution).
 */
public final class AcceptLatencyBench {

    private AcceptLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        String body = "Subject: bench\r\n\r\n" + ("x".repeat(62) + "\r\n").repeat(16);
        byte[] transaction = ("EHLO bench.test\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@y.test>\r\nDATA\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] data = (body + ".\r\nQUIT\r\n").getBytes(StandardCharsets.US_ASCII);
        TestServer server = args.length > 2 ? null
                : new TestServer(TestConfig.loopback().with("maxSessionsPerClient", 1000));
        int port = server == null ? Integer.parseInt(args[2]) : server.port();
        try {
            run(port, sessions, messages / 10, transaction, data); // warm-up
            long start = System.nanoTime();
            long[] latencies = run(port, sessions, messages, transaction, data);
            double seconds = (System.nanoTime() - start) / 1e9;
            Arrays.sort(latencies);
            System.out.printf("%d messages of %d bytes, %d sessions: %.0f msg/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    messages, body.length(), sessions, messages / seconds, latencies[messages / 2] / 1e6,
                    latencies[(int) (messages * 0.99)] / 1e6, latencies[messages - 1] / 1e6);
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private static long[] run(int port, int sessions, int messages, byte[] transaction, byte[] data)
            throws InterruptedException {
        long[] latencies = new long[messages];
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(sessions);
        for (int t = 0; t < sessions; t++) {
            new Thread(() -> {
                try {
                    int i;
                    while ((i = next.getAndIncrement()) < messages) {
                        long begin = System.nanoTime();
                        try (Socket s = new Socket("127.0.0.1", port)) {
                            s.setTcpNoDelay(true);
                            InputStream in = s.getInputStream();
                            OutputStream out = s.getOutputStream();
                            expect(in, "220");
                            out.write(transaction); // PIPELINING: EHLO to DATA in one write
                            expect(in, "250"); // EHLO
                            expect(in, "250");
                            expect(in, "250");
                            expect(in, "354");
                            out.write(data);
                            expect(in, "250");
                            latencies[i] = System.nanoTime() - begin;
                        }
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                } finally {
                    done.countDown();
                }
            }).start();
        }
        done.await();
        return latencies;
    }

    /** Reads one reply (all its lines) and checks its code. */
    private static void expect(InputStream in, String code) throws Exception {
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IllegalStateException("closed while waiting for " + code);
            }
            if (c != '\n') {
                line.append((char) c);
                continue;
            }
            if (!line.toString().startsWith(code)) {
                throw new IllegalStateException("expected " + code + ", got " + line);
            }
            if (line.charAt(3) == ' ') {
                return;
            }
            line.setLength(0);
        }
    }
}
