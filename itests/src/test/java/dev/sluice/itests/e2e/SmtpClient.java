package dev.sluice.itests.e2e;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A plain SMTP client for submitting test mail: one connection, one command at a time, replies checked. */
public final class SmtpClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String greeting;

    public SmtpClient(int port) throws IOException {
        this(port, null);
    }

    /** From {@code local} (e.g. 127.0.0.2), so that per-IP limits see a client of its own; expects 220 and EHLO 250. */
    public SmtpClient(int port, InetAddress local) throws IOException {
        this(port, local, true);
    }

    private SmtpClient(int port, InetAddress local, boolean expectService) throws IOException {
        socket = new Socket();
        if (local != null) {
            socket.bind(new InetSocketAddress(local, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(60_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        greeting = reply();
        if (expectService) {
            expect(greeting, "220");
            expect(command("EHLO client.test"), "250");
        }
    }

    /** Connects and reads the greeting, whatever it is; nothing is sent yet. */
    public static SmtpClient connect(int port, InetAddress local) throws IOException {
        return new SmtpClient(port, local, false);
    }

    /** The server's first reply (its last line). */
    public String greeting() {
        return greeting;
    }

    /** True when the server has closed the connection (reads end of stream within the timeout). */
    public boolean closedByServer() throws IOException {
        socket.setSoTimeout(10_000);
        try {
            return in.read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }

    /** Connects once the listener accepts connections (it binds after the bundles start), failing after {@code wait}. */
    public static SmtpClient connectWhenListening(int port, java.time.Duration wait) throws InterruptedException {
        SmtpClient[] client = new SmtpClient[1];
        boolean connected = SluiceDistribution.await(wait, () -> {
            try {
                client[0] = new SmtpClient(port);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        if (!connected) {
            throw new AssertionError("the SMTP listener on port " + port + " never accepted a connection");
        }
        return client[0];
    }

    /** Sends one message; returns the final reply (250 … on success). */
    public String send(String from, List<String> recipients, String message) throws IOException {
        return send(from, "", recipients, message.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends one message given as the exact bytes to store (CRLF line ends), dot-stuffing it on the wire;
     * {@code mailParameters} (e.g. {@code " BODY=8BITMIME"}) follow MAIL FROM. Returns the final reply.
     */
    public String send(String from, String mailParameters, List<String> recipients, byte[] message)
            throws IOException {
        expect(command("MAIL FROM:<" + from + ">" + mailParameters), "250");
        for (String rcpt : recipients) {
            expect(command("RCPT TO:<" + rcpt + ">"), "250");
        }
        expect(command("DATA"), "354");
        ByteArrayOutputStream data = new ByteArrayOutputStream(message.length + 64);
        boolean lineStart = true;
        for (byte b : message) {
            if (lineStart && b == '.') {
                data.write('.');
            }
            data.write(b);
            lineStart = b == '\n';
        }
        if (!lineStart) {
            data.writeBytes(new byte[] {'\r', '\n'});
        }
        data.writeBytes(new byte[] {'.', '\r', '\n'});
        out.write(data.toByteArray());
        out.flush();
        return reply();
    }

    /** The queue id in a {@code 250 ... queued as <id>} reply. */
    public static String queueId(String reply) {
        int at = reply.lastIndexOf("queued as ");
        if (!reply.startsWith("250") || at < 0) {
            throw new IllegalArgumentException("not an acceptance: " + reply);
        }
        return reply.substring(at + "queued as ".length()).strip();
    }

    public String command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return reply();
    }

    /** Reads one (possibly multi-line) reply; returns its last line. */
    public String reply() throws IOException {
        String line;
        do {
            line = readLine();
            if (line == null) {
                throw new IOException("connection closed by server");
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        return line;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String s = buffer.toString(StandardCharsets.UTF_8);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            buffer.write(b);
        }
        return null;
    }

    private static void expect(String reply, String code) throws IOException {
        if (!reply.startsWith(code)) {
            throw new IOException("expected " + code + ", got: " + reply);
        }
    }

    @Override
    public void close() {
        try {
            command("QUIT");
        } catch (IOException e) {
            // already gone
        }
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
