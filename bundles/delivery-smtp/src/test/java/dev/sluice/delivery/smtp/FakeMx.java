package dev.sluice.delivery.smtp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** A scripted SMTP server on loopback, one thread per connection; options are set before delivering. */
final class FakeMx implements AutoCloseable {
    volatile String greeting = "220 mx.test ESMTP fake";
    volatile boolean ehlo = true;
    volatile boolean silent;
    volatile boolean holdPipelined;
    /** After 354, stop reading until closed: the client's writes back up. */
    volatile boolean stallInData;
    private final CountDownLatch closing = new CountDownLatch(1);
    final List<String> extensions = new CopyOnWriteArrayList<>(
            List.of("PIPELINING", "8BITMIME", "SIZE 10000000", "ENHANCEDSTATUSCODES", "DSN", "SMTPUTF8"));
    volatile String mailReply = "250 2.1.0 ok";
    volatile Function<String, String> rcptReply = rcpt -> "250 2.1.5 ok";
    volatile String dataReply = "354 go ahead";
    volatile String finalReply = "250 2.0.0 queued";
    volatile String rsetReply = "250 2.0.0 ok";
    /** The line each RSET arrived with before it was answered (null: none within 5 s), see {@link #serve}. */
    final List<String> afterRset = new CopyOnWriteArrayList<>();
    volatile SSLContext tls;
    volatile String authUser;
    volatile String authPassword;
    volatile String authMechanisms = "PLAIN LOGIN";

    final List<String> commands = new CopyOnWriteArrayList<>();
    final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
    final AtomicInteger connections = new AtomicInteger();
    final CountDownLatch quit = new CountDownLatch(1);
    volatile boolean earlyBytesAfterMail;
    volatile boolean sawPipelinedBatch;
    volatile boolean secured;

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    FakeMx() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "fake-mx-accept");
        threads.add(acceptor);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                connections.incrementAndGet();
                commands.add("CONNECT");
                Thread t = new Thread(() -> serve(s), "fake-mx-session");
                threads.add(t);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket base) {
        try (base) {
            Socket socket = base;
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            if (silent) {
                in.transferTo(OutputStream.nullOutputStream());
                return;
            }
            send(out, greeting);
            if (!greeting.startsWith("220")) {
                return;
            }
            boolean offeredTls = tls != null;
            for (String line; (line = readLine(in)) != null; ) {
                commands.add(line);
                String verb = line.split("[ :]", 2)[0].toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> send(out, ehlo ? ehloReply(offeredTls && !(socket instanceof SSLSocket))
                            : "502 5.5.2 what is EHLO");
                    case "HELO" -> send(out, "250 mx.test");
                    case "STARTTLS" -> {
                        send(out, "220 2.0.0 go ahead");
                        SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket, "localhost",
                                socket.getPort(), true);
                        ssl.setUseClientMode(false);
                        ssl.startHandshake();
                        secured = true;
                        socket = ssl;
                        in = new BufferedInputStream(ssl.getInputStream());
                        out = ssl.getOutputStream();
                    }
                    case "AUTH" -> send(out, auth(line, in, out) ? "235 2.7.0 welcome" : "535 5.7.8 bad credentials");
                    case "MAIL" -> mail(in, out);
                    case "RCPT" -> reply(out, rcptReply.apply(address(line)));
                    case "DATA" -> data(in, out);
                    case "RSET" -> {
                        // A client that pipelines RSET has sent what follows in the same write: peek at it
                        // before answering (a client waiting for this reply first would make us wait 5 s).
                        socket.setSoTimeout(5000);
                        in.mark(8192);
                        try {
                            afterRset.add(String.valueOf(readLine(in)));
                        } catch (java.net.SocketTimeoutException e) {
                            afterRset.add("null");
                        }
                        in.reset();
                        socket.setSoTimeout(0);
                        send(out, rsetReply);
                    }
                    case "NOOP" -> send(out, "250 2.0.0 ok");
                    case "QUIT" -> {
                        quit.countDown();
                        send(out, "221 2.0.0 bye");
                        return;
                    }
                    default -> send(out, "500 5.5.1 unknown command");
                }
            }
        } catch (IOException e) {
            // The client went away or the TLS handshake failed: the test looks at what the client reports.
        }
    }

    private void mail(InputStream in, OutputStream out) throws IOException {
        if (holdPipelined) {
            List<String> batch = new ArrayList<>();
            for (String line; (line = readLine(in)) != null; ) {
                commands.add(line);
                batch.add(line);
                if (line.equalsIgnoreCase("DATA")) {
                    break;
                }
            }
            sawPipelinedBatch = !batch.isEmpty() && batch.get(batch.size() - 1).equalsIgnoreCase("DATA");
            send(out, mailReply);
            for (String line : batch.subList(0, batch.size() - 1)) {
                send(out, rcptReply.apply(address(line)));
            }
            dataAnswered(in, out);
            return;
        }
        earlyBytesAfterMail |= in.available() > 0;
        reply(out, mailReply);
    }

    private void data(InputStream in, OutputStream out) throws IOException {
        dataAnswered(in, out);
    }

    private void dataAnswered(InputStream in, OutputStream out) throws IOException {
        send(out, dataReply);
        if (!dataReply.startsWith("354")) {
            return;
        }
        if (stallInData) {
            try {
                closing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        for (byte[] line; (line = readRaw(in)) != null; ) {
            String text = new String(line, StandardCharsets.ISO_8859_1);
            if (text.equals(".\r\n")) {
                messages.add(message.toByteArray());
                reply(out, finalReply);
                return;
            }
            int skip = text.startsWith(".") ? 1 : 0;
            message.write(line, skip, line.length - skip);
        }
    }

    private void reply(OutputStream out, String reply) throws IOException {
        send(out, reply);
        if (reply.startsWith("421")) {
            throw new IOException("closing after 421");
        }
    }

    private String ehloReply(boolean offerTls) {
        List<String> lines = new ArrayList<>();
        lines.add("mx.test greets you");
        lines.addAll(extensions);
        if (offerTls) {
            lines.add("STARTTLS");
        }
        if (authUser != null) {
            lines.add("AUTH " + authMechanisms);
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            b.append("250").append(i == lines.size() - 1 ? " " : "-").append(lines.get(i))
                    .append(i == lines.size() - 1 ? "" : "\r\n");
        }
        return b.toString();
    }

    private boolean auth(String line, InputStream in, OutputStream out) throws IOException {
        String[] words = line.split(" ");
        if (words.length == 2 && words[1].equalsIgnoreCase("LOGIN")) {
            send(out, "334 VXNlcm5hbWU6");
            String user = decode(readLine(in));
            send(out, "334 UGFzc3dvcmQ6");
            String password = decode(readLine(in));
            return authUser.equals(user) && authPassword.equals(password);
        }
        if (words.length != 3 || !words[1].equalsIgnoreCase("PLAIN")) {
            return false;
        }
        String decoded = new String(Base64.getDecoder().decode(words[2]), StandardCharsets.UTF_8);
        return decoded.equals("\0" + authUser + "\0" + authPassword);
    }

    private static String decode(String b64) {
        return b64 == null ? "" : new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }

    private static String address(String line) {
        int lt = line.indexOf('<');
        int gt = line.indexOf('>');
        return lt >= 0 && gt > lt ? line.substring(lt + 1, gt) : "";
    }

    private static void send(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        byte[] raw = readRaw(in);
        return raw == null ? null : new String(raw, StandardCharsets.UTF_8).stripTrailing();
    }

    private static byte[] readRaw(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            line.write(b);
            if (b == '\n') {
                return line.toByteArray();
            }
        }
        return null;
    }

    @Override
    public void close() throws Exception {
        closing.countDown();
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        for (Thread t : threads) {
            t.join(5000);
        }
    }
}
