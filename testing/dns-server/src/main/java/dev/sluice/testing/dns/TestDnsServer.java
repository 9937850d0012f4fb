package dev.sluice.testing.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * An authoritative-only DNS responder on 127.0.0.1 (UDP and TCP on the same ephemeral port) serving
 * {@link TestZones}. Like Unbound's local-data it answers a CNAME without following it. Counts queries
 * so tests can tell a cache hit from a lookup.
 */
public final class TestDnsServer implements AutoCloseable {

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final TestZones zones = new TestZones();

    public TestDnsServer() throws IOException {
        DatagramSocket u = null;
        ServerSocket t = null;
        for (int attempt = 0; attempt < 20 && t == null; attempt++) {
            u = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try {
                t = new ServerSocket();
                t.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), u.getLocalPort()));
            } catch (IOException portTakenForTcp) {
                u.close();
                t = null;
            }
        }
        if (t == null) {
            throw new IOException("no port free for both UDP and TCP");
        }
        this.udp = u;
        this.tcp = t;
        start("test-dns-udp", this::serveUdp);
        start("test-dns-tcp", this::serveTcp);
    }

    /** The zones served, to add records while running. */
    public TestZones zones() {
        return zones;
    }

    public int port() {
        return udp.getLocalPort();
    }

    public String resolver() {
        return "127.0.0.1:" + port();
    }

    /** Queries received for the name (absolute, e.g. "example.test.") and type, over UDP and TCP. */
    public int count(String name, int type) {
        return count(name, type, "udp") + count(name, type, "tcp");
    }

    public int count(String name, int type, String transport) {
        AtomicInteger c = counts.get(key(name, type, transport));
        return c == null ? 0 : c.get();
    }

    private static String key(String name, int type, String transport) {
        return name.toLowerCase() + "/" + Type.string(type) + "/" + transport;
    }

    private void start(String name, Runnable loop) {
        Thread thread = new Thread(loop, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    private void serveUdp() {
        byte[] buffer = new byte[4096];
        while (!udp.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                udp.receive(packet);
                byte[] out = answer(java.util.Arrays.copyOf(packet.getData(), packet.getLength()), false);
                if (out != null) {
                    udp.send(new DatagramPacket(out, out.length, packet.getSocketAddress()));
                }
            } catch (IOException e) {
                // closed, or a garbled packet: keep serving until closed
            }
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try (Socket s = tcp.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                byte[] out = answer(query, true);
                if (out != null) {
                    DataOutputStream o = new DataOutputStream(s.getOutputStream());
                    o.writeShort(out.length);
                    o.write(out);
                    o.flush();
                }
            } catch (IOException e) {
                // closed, or the client went away
            }
        }
    }

    private byte[] answer(byte[] wire, boolean overTcp) throws IOException {
        Message query = new Message(wire);
        Record q = query.getQuestion();
        counts.computeIfAbsent(key(q.getName().toString(), q.getType(), overTcp ? "tcp" : "udp"),
                k -> new AtomicInteger()).incrementAndGet();
        Name name = q.getName();
        if (zones.isBelow(name, "timeout.test.")) {
            return null;
        }
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        response.addRecord(zones.isBelow(name, "badanswer.test.")
                ? Record.newRecord(Name.fromString("elsewhere.test."), q.getType(), DClass.IN) : q, Section.QUESTION);
        if (zones.isBelow(name, "servfail.test.")) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
        } else if (zones.isTruncated(name) && !overTcp) {
            response.getHeader().setFlag(Flags.TC);
        } else {
            List<Record> records = zones.lookup(name, q.getType());
            records.forEach(r -> response.addRecord(r, Section.ANSWER));
            if (records.isEmpty()) {
                response.getHeader().setRcode(zones.exists(name) ? Rcode.NOERROR : Rcode.NXDOMAIN);
                response.addRecord(zones.soa(), Section.AUTHORITY);
            }
        }
        return response.toWire();
    }

    @Override
    public void close() throws InterruptedException, IOException {
        udp.close();
        tcp.close();
        for (Thread t : threads) {
            t.join(5000);
        }
    }
}
