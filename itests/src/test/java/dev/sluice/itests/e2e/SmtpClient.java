package dev.sluice.itests.e2e;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A plain SMTP client for submitting test mail: one connection, one command at a time, replies checked. */
public final class SmtpClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public SmtpClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(60_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        expect(reply(), "220");
        expect(command("EHLO client.test"), "250");
    }

    /** Sends one message; returns the final reply (250 … on success). */
    public String send(String from, List<String> recipients, String message) throws IOException {
        expect(command("MAIL FROM:<" + from + ">"), "250");
        for (String rcpt : recipients) {
            expect(command("RCPT TO:<" + rcpt + ">"), "250");
        }
        expect(command("DATA"), "354");
        StringBuilder data = new StringBuilder();
        for (String line : message.split("\r\n", -1)) {
            data.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
        }
        if (message.endsWith("\r\n")) {
            data.setLength(data.length() - 2);
        }
        data.append(".\r\n");
        out.write(data.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        return reply();
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
