package dev.sluice.itests.e2e;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A receiving SMTP server on loopback that plays a scripted remote MTA: it records what it accepts and can
 * defer, reject, drop the connection, demand TLS or never answer. One thread per connection: a test peer,
 * bounded by what the test sends.
 */
public final class TestSmtpServer implements AutoCloseable {

    /** What the server does; the defaults accept everything. */
    public static final class Script {
        /** The greeting; null means never answer anything (a black hole). A 4xx/5xx greeting closes the connection. */
        public String greeting = "220 test.invalid ESMTP ready";
        /** The greeting by connection number (1-based), e.g. 421 for the first few; null: {@link #greeting}. */
        public IntFunction<String> greetings;
        /** The reply to RCPT, by address and the number of the transaction it is in. */
        public BiFunction<String, Integer, String> rcptReply = (rcpt, n) -> "250 2.1.5 ok";
        /** The reply to the final dot, by transaction number (1-based, across connections). */
        public IntFunction<String> dataReply = n -> "250 2.0.0 queued as T" + n;
        /** Offer STARTTLS with this context; null: no TLS. */
        public SSLContext tls;
        /** Refuse MAIL with 530 until STARTTLS. */
        public boolean requireTls;
        /** A slow receiver: waits this long before answering the final dot; may change while running. */
        public volatile long dataReplyDelayMillis;
    }

    private final Script script;
    private final ServerSocket socket;
    private final List<ReceivedMessage> received = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger transactions = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger activeSessions = new AtomicInteger();
    private final AtomicInteger peakSessions = new AtomicInteger();
    private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();

    /**
     * When a transaction was accepted (after the final dot) and on which connection (1-based), for measuring
     * rates and messages per connection.
     */
    public record Arrival(long nanos, int connection, ReceivedMessage message) { }

    /**
     * One connection from accept to its end: the 221 to QUIT ({@code quit}), or reading the close (EOF), or
     * {@code Long.MAX_VALUE} while it is open.
     */
    public record Span(int connection, long openedNanos, long endedNanos, boolean quit) {
        boolean openAt(long t, long eofGrace) {
            return openedNanos <= t && (quit ? endedNanos > t : endedNanos > t + eofGrace);
        }
    }

    private final List<Span> spans = new CopyOnWriteArrayList<>();
    private final Map<Integer, Long> openSince = new ConcurrentHashMap<>();
    private final Thread acceptor;

    public TestSmtpServer(Script script) throws IOException {
        this(script, InetAddress.getLoopbackAddress());
    }

    public TestSmtpServer(Script script, InetAddress address) throws IOException {
        this.script = script;
        this.socket = new ServerSocket(0, 200, address);
        this.acceptor = new Thread(this::acceptLoop, "test-smtp-acceptor-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    public List<ReceivedMessage> received() {
        return List.copyOf(received);
    }

    public int connections() {
        return connections.get();
    }

    /** Every accepted transaction in the order of acceptance. */
    public List<Arrival> arrivals() {
        return List.copyOf(arrivals);
    }

    /** Sessions open now: from accept until the 221 to QUIT or the end of the connection. */
    public int activeSessions() {
        return activeSessions.get();
    }

    /** The most sessions that were open at once since the start or the last {@link #resetPeak()}. */
    public int peakSessions() {
        return peakSessions.get();
    }

    /** Every connection: those that ended, in the order they ended, then those still open. */
    public List<Span> spans() {
        List<Span> all = new ArrayList<>(spans);
        openSince.forEach((n, t) -> all.add(new Span(n, t, Long.MAX_VALUE, false)));
        return all;
    }

    /**
     * The most connections open at once, where one the client closed counts as closed a little before the server
     * reads its end: under load the server's thread may read the close {@code eofGrace} after the client, having
     * closed first, has already opened its next connection.
     */
    public int peakSessions(Duration eofGrace) {
        List<Span> all = spans();
        int peak = 0;
        for (Span s : all) {
            peak = Math.max(peak, (int) all.stream().filter(o -> o.openAt(s.openedNanos(), eofGrace.toNanos())).count());
        }
        return peak;
    }

    public void resetPeak() {
        peakSessions.set(activeSessions.get());
    }

    /** Accepted transactions per connection number. */
    public Map<Integer, Integer> messagesPerConnection() {
        Map<Integer, Integer> out = new TreeMap<>();
        arrivals.forEach(a -> out.merge(a.connection(), 1, Integer::sum));
        return out;
    }

    /** Transactions that reached the final dot, whatever the reply. */
    public int transactions() {
        return transactions.get();
    }

    /** The accepted messages for one recipient. */
    public List<ReceivedMessage> receivedFor(String recipient) {
        return received.stream().filter(m -> m.recipients().contains(recipient)).toList();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                open.add(client);
                long opened = System.nanoTime();
                int number = connections.incrementAndGet();
                openSince.put(number, opened);
                int now = activeSessions.incrementAndGet();
                peakSessions.accumulateAndGet(now, Math::max);
                Thread t = new Thread(() -> serve(client, number, opened), "test-smtp-" + client.getPort());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client, int number, long opened) {
        Session session = null;
        try (client) {
            client.setSoTimeout(120_000);
            String greeting = script.greetings == null ? script.greeting : script.greetings.apply(number);
            if (greeting == null) {
                client.getInputStream().read(); // hold the connection open, say nothing
                return;
            }
            session = new Session(client, number, opened, greeting);
            session.run();
        } catch (IOException e) {
            // the client went away: nothing to record
        } finally {
            open.remove(client);
            if (session == null || !session.ended) {
                spans.add(new Span(number, opened, System.nanoTime(), false));
                openSince.remove(number);
                activeSessions.decrementAndGet();
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : open) {
            s.close();
        }
    }

    private final class Session {
        private Socket connection;
        private InputStream in;
        private OutputStream out;
        private boolean tls;
        private String mailFrom;
        private final List<String> rcpts = new ArrayList<>();
        private final int number;
        private final long opened;
        private final String greeting;
        /** Set once the session counts as over (221 sent); the socket may close a little later. */
        private boolean ended;

        Session(Socket connection, int number, long opened, String greeting) throws IOException {
            this.connection = connection;
            this.number = number;
            this.opened = opened;
            this.greeting = greeting;
            this.in = new BufferedInputStream(connection.getInputStream());
            this.out = connection.getOutputStream();
        }

        void run() throws IOException {
            reply(greeting);
            if (!greeting.startsWith("2")) {
                return;
            }
            String line;
            while ((line = readLine()) != null) {
                String verb = line.length() < 4 ? line.toUpperCase(Locale.ROOT) : line.substring(0, 4).toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> reply("250-test.invalid\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n"
                            + "250-ENHANCEDSTATUSCODES\r\n" + (script.tls != null && !tls ? "250-STARTTLS\r\n" : "")
                            + "250 SIZE 104857600");
                    case "HELO" -> reply("250 test.invalid");
                    case "STAR" -> startTls();
                    case "MAIL" -> {
                        if (script.requireTls && !tls) {
                            reply("530 5.7.0 Must issue a STARTTLS command first");
                        } else {
                            mailFrom = between(line);
                            rcpts.clear();
                            reply("250 2.1.0 ok");
                        }
                    }
                    case "RCPT" -> {
                        String rcpt = between(line);
                        String r = script.rcptReply.apply(rcpt, transactions.get() + 1);
                        if (r.startsWith("2")) {
                            rcpts.add(rcpt);
                        }
                        reply(r);
                    }
                    case "DATA" -> data();
                    case "RSET" -> {
                        mailFrom = null;
                        rcpts.clear();
                        reply("250 2.0.0 ok");
                    }
                    case "NOOP" -> reply("250 2.0.0 ok");
                    case "QUIT" -> {
                        ended = true;
                        spans.add(new Span(number, opened, System.nanoTime(), true));
                        openSince.remove(number);
                        activeSessions.decrementAndGet();
                        reply("221 2.0.0 bye");
                        return;
                    }
                    default -> reply("502 5.5.2 not implemented");
                }
            }
        }

        private void data() throws IOException {
            if (mailFrom == null || rcpts.isEmpty()) {
                reply("503 5.5.1 no valid recipients");
                return;
            }
            reply("354 go ahead");
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            String line;
            while ((line = readLine()) != null && !line.equals(".")) {
                content.writeBytes((line.startsWith(".") ? line.substring(1) : line).getBytes(StandardCharsets.ISO_8859_1));
                content.writeBytes(new byte[] {'\r', '\n'});
            }
            if (line == null) {
                return;
            }
            long delay = script.dataReplyDelayMillis;
            if (delay > 0) {
                try {
                    Thread.sleep(delay); // the behaviour under test (a slow peer), not synchronisation
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            String r = script.dataReply.apply(transactions.incrementAndGet());
            if (r.startsWith("2")) {
                ReceivedMessage m = new ReceivedMessage(mailFrom, List.copyOf(rcpts), content.toByteArray(), tls);
                received.add(m);
                arrivals.add(new Arrival(System.nanoTime(), number, m));
            }
            reply(r);
            if (r.startsWith("421")) {
                connection.close();
            }
        }

        private void startTls() throws IOException {
            if (script.tls == null || tls) {
                reply("502 5.5.1 no TLS here");
                return;
            }
            reply("220 2.0.0 ready to start TLS");
            SSLSocket ssl = (SSLSocket) script.tls.getSocketFactory()
                    .createSocket(connection, connection.getInetAddress().getHostAddress(), connection.getPort(), true);
            ssl.setUseClientMode(false);
            try {
                ssl.startHandshake();
            } catch (SocketException | javax.net.ssl.SSLException e) {
                throw new IOException("handshake failed", e);
            }
            connection = ssl;
            in = new BufferedInputStream(ssl.getInputStream());
            out = ssl.getOutputStream();
            tls = true;
            mailFrom = null;
            rcpts.clear();
        }

        private String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
                }
                line.write(b);
            }
            return null;
        }

        private void reply(String text) throws IOException {
            out.write((text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        private String between(String line) {
            int open = line.indexOf('<');
            int close = line.indexOf('>', open + 1);
            return open < 0 || close < 0 ? "" : line.substring(open + 1, close);
        }
    }
}
