package dev.sluice.queue.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.api.mail.BodyType;
import dev.sluice.api.mail.ClientIdentity;
import dev.sluice.api.mail.DsnReturn;
import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.MailAddress;
import dev.sluice.api.mail.Notify;
import dev.sluice.api.mail.QueueId;
import dev.sluice.api.mail.Recipient;
import dev.sluice.api.mail.ReversePath;
import dev.sluice.api.queue.MailQueue;
import dev.sluice.api.queue.MessageWriter;
import dev.sluice.api.queue.QueueEntry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Shared helpers: envelopes, settings with fake seams, writing and reading messages. */
final class Fixtures {

    static final DiskProbe PLENTY = dir -> new DiskProbe.Usage(1000, 900, 1000, 900);

    /** Counts fsyncs and can be told to fail. */
    static final class CountingSync implements FileSync {
        final AtomicInteger files = new AtomicInteger();
        final AtomicInteger directories = new AtomicInteger();
        volatile boolean failFiles;

        @Override
        public void force(FileChannel channel) throws IOException {
            if (failFiles) {
                throw new IOException("Input/output error (injected)");
            }
            files.incrementAndGet();
            FileSync.REAL.force(channel);
        }

        @Override
        public void forceDirectory(Path directory) throws IOException {
            directories.incrementAndGet();
            FileSync.REAL.forceDirectory(directory);
        }
    }

    /** Waits (bounded) until {@code n} threads are in {@code state} inside a method named {@code method}. */
    static void awaitThreadsIn(String method, Thread.State state, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            long waiting = Thread.getAllStackTraces().entrySet().stream()
                    .filter(e -> e.getKey().getState() == state)
                    .filter(e -> java.util.Arrays.stream(e.getValue()).anyMatch(f -> f.getMethodName().equals(method)))
                    .count();
            if (waiting >= n) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError(n + " threads did not start waiting in " + method);
    }

    private Fixtures() {
    }

    static SpoolSettings settings(Path root, List<QueueEntry> announced) {
        return SpoolSettings.defaults(root, announced::add).withProbe(PLENTY);
    }

    static SpoolSettings settings(Path root) {
        return settings(root, new CopyOnWriteArrayList<>());
    }

    static Envelope envelope(String... recipients) {
        List<Recipient> rcpts = Stream.of(recipients).map(r -> Recipient.of(MailAddress.parse(r))).toList();
        return new Envelope(ReversePath.of(MailAddress.parse("news@Sender.example")), rcpts,
                BodyType.EIGHT_BIT_MIME, false, 1234, DsnReturn.HEADERS, "env-1",
                ClientIdentity.local("test"), Instant.parse("2026-11-23T10:15:30.123456789Z"));
    }

    static Envelope richEnvelope() throws IOException {
        var client = new ClientIdentity(new InetSocketAddress(InetAddress.getByAddress("mx.client.example",
                new byte[] {(byte) 192, 0, 2, 7}), 40123), "helo.example", "submission", "TLSv1.3",
                "TLS_AES_128_GCM_SHA256", "alice");
        var r1 = new Recipient(MailAddress.parse("bob@b\u00fccher.example"), Set.of(Notify.SUCCESS, Notify.FAILURE),
                "rfc822;bob@b\u00fccher.example");
        var r2 = new Recipient(MailAddress.parse("\"odd@local\"@[192.0.2.1]"), Set.of(Notify.NEVER), null);
        return new Envelope(ReversePath.NULL, List.of(r1, r2), BodyType.BINARY_MIME, true, 0,
                DsnReturn.UNSPECIFIED, null, client, Instant.parse("2026-01-02T03:04:05Z"));
    }

    static String body(QueueId id) {
        return "Message-ID: <" + id + "@test>\r\nSubject: test\r\n\r\n" + "x".repeat(900) + "\r\n";
    }

    static QueueId write(MailQueue queue, Envelope envelope) throws Exception {
        try (MessageWriter w = queue.open(envelope)) {
            w.content().write(body(w.queueId()).getBytes(StandardCharsets.US_ASCII));
            return w.commit().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    static String read(MailQueue queue, QueueId id) throws Exception {
        try (InputStream in = queue.content(id).openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    static void assertIntact(MailQueue queue, QueueId id) throws Exception {
        assertEquals(body(id), read(queue, id), "content of " + id);
    }

    /** Regular files under the message tree (what a crash would leave behind). */
    static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root.resolve("q"))) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    static <T> T await(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    static Duration forever() {
        return Duration.ofDays(1);
    }
}
