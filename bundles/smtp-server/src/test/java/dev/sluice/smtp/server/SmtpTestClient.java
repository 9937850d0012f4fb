package dev.sluice.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** A minimal line-based SMTP client for socket-level tests; every read has a deadline. */
final class SmtpTestClient implements AutoCloseable {

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    SmtpTestClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(15_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void send(String line) throws IOException {
        raw(line + "\r\n");
    }

    void raw(String bytes) throws IOException {
        raw(bytes.getBytes(StandardCharsets.UTF_8));
    }

    void raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** One complete (possibly multi-line) reply, lines joined with \n; null at end of stream. */
    String reply() throws IOException {
        StringBuilder all = new StringBuilder();
        while (true) {
            String line = line();
            if (line == null) {
                return all.length() == 0 ? null : all.toString();
            }
            all.append(all.length() == 0 ? "" : "\n").append(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return all.toString();
            }
        }
    }

    /** Reads a reply and asserts its code; returns it. */
    String expect(int code) throws IOException {
        String reply = reply();
        assertTrue(reply != null && reply.startsWith(code + ""), "expected " + code + " but got: " + reply);
        return reply;
    }

    /** Reads a reply and asserts its code and enhanced status. */
    String expect(int code, String enhanced) throws IOException {
        String reply = expect(code);
        assertTrue(reply.startsWith(code + " " + enhanced) || reply.startsWith(code + "-" + enhanced),
                "expected " + code + " " + enhanced + " but got: " + reply);
        return reply;
    }

    /** True when the server closed the connection (end of stream or reset) before the deadline. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    void startTls() throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustAll()}, null);
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, "127.0.0.1",
                    socket.getPort(), true);
            tls.setUseClientMode(true);
            tls.startHandshake();
            socket = tls;
            in = tls.getInputStream();
            out = tls.getOutputStream();
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    String tlsProtocol() {
        return socket instanceof SSLSocket s ? s.getSession().getProtocol() : null;
    }

    /** Sends MAIL, RCPT, DATA and the body (already dot-stuffed, without the final dot). */
    void sendMessage(String from, String to, String body) throws IOException {
        startData(from, to);
        raw(body + ".\r\n");
    }

    /** Sends MAIL, RCPT and DATA, expecting 250, 250 and 354: the body may follow. */
    void startData(String from, String to) throws IOException {
        send("MAIL FROM:<" + from + ">");
        expect(250);
        send("RCPT TO:<" + to + ">");
        expect(250);
        send("DATA");
        expect(354);
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.UTF_8);
                assertTrue(s.endsWith("\r"), "reply line without CRLF: " + s);
                return s.substring(0, s.length() - 1);
            }
            b.write(c);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Polls until the condition holds or the deadline passes (no sleeps as synchronisation). */
    static boolean poll(java.time.Duration timeout, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }
        return true;
    }

    static void assertCode(int code, String reply) {
        assertEquals(code + "", reply.substring(0, 3), reply);
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String type) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String type) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
