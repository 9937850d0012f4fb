package dev.sluice.queue.file;

import dev.sluice.api.mail.BodyType;
import dev.sluice.api.mail.ClientIdentity;
import dev.sluice.api.mail.DsnReturn;
import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.MailAddress;
import dev.sluice.api.mail.Notify;
import dev.sluice.api.mail.Recipient;
import dev.sluice.api.mail.ReversePath;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The envelope as compact binary; enums by name so that reordering constants never reinterprets a spool. */
final class EnvelopeCodec {

    private EnvelopeCodec() {
    }

    static byte[] encode(Envelope e) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeAddress(out, e.sender().address());
            out.writeInt(e.recipients().size());
            for (Recipient r : e.recipients()) {
                writeAddress(out, Optional.of(r.address()));
                int notify = 0;
                for (Notify n : r.notifyOn()) {
                    notify |= 1 << n.ordinal();
                }
                out.writeByte(notify);
                writeNullable(out, r.originalRecipient());
            }
            out.writeUTF(e.bodyType().name());
            out.writeBoolean(e.smtpUtf8());
            out.writeLong(e.declaredSize());
            out.writeUTF(e.dsnReturn().name());
            writeNullable(out, e.envelopeId());
            ClientIdentity c = e.client();
            byte[] ip = c.remote().getAddress() == null ? new byte[0] : c.remote().getAddress().getAddress();
            out.writeByte(ip.length);
            out.write(ip);
            out.writeUTF(c.remote().getHostString());
            out.writeShort(c.remote().getPort());
            writeNullable(out, c.helo());
            out.writeUTF(c.listener());
            writeNullable(out, c.tlsProtocol());
            writeNullable(out, c.tlsCipher());
            writeNullable(out, c.authenticatedUser());
            writeInstant(out, e.receivedAt());
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException or IOException when the bytes are not a valid envelope */
    static Envelope decode(DataInput in) throws IOException {
        ReversePath sender = new ReversePath(readAddress(in));
        int count = in.readInt();
        if (count < 1 || count > 1_000_000) {
            throw new IOException("implausible recipient count " + count);
        }
        List<Recipient> recipients = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            MailAddress address = readAddress(in).orElseThrow(() -> new IOException("empty recipient"));
            int notify = in.readUnsignedByte();
            Set<Notify> notifyOn = EnumSet.noneOf(Notify.class);
            for (Notify n : Notify.values()) {
                if ((notify & (1 << n.ordinal())) != 0) {
                    notifyOn.add(n);
                }
            }
            recipients.add(new Recipient(address, notifyOn, readNullable(in)));
        }
        BodyType bodyType = BodyType.valueOf(in.readUTF());
        boolean smtpUtf8 = in.readBoolean();
        long declaredSize = in.readLong();
        DsnReturn ret = DsnReturn.valueOf(in.readUTF());
        String envid = readNullable(in);
        byte[] ip = new byte[in.readUnsignedByte()];
        in.readFully(ip);
        String host = in.readUTF();
        int port = in.readUnsignedShort();
        InetSocketAddress remote = ip.length == 0 ? InetSocketAddress.createUnresolved(host, port)
                : new InetSocketAddress(InetAddress.getByAddress(host, ip), port);
        ClientIdentity client = new ClientIdentity(remote, readNullable(in), in.readUTF(), readNullable(in),
                readNullable(in), readNullable(in));
        return new Envelope(sender, recipients, bodyType, smtpUtf8, declaredSize, ret, envid, client,
                readInstant(in));
    }

    static void writeInstant(DataOutput out, Instant t) throws IOException {
        out.writeLong(t.getEpochSecond());
        out.writeInt(t.getNano());
    }

    static Instant readInstant(DataInput in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    static void writeNullable(DataOutput out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    static String readNullable(DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeAddress(DataOutput out, Optional<MailAddress> address) throws IOException {
        out.writeBoolean(address.isPresent());
        if (address.isPresent()) {
            out.writeUTF(address.get().localPart());
            out.writeUTF(address.get().domain());
        }
    }

    private static Optional<MailAddress> readAddress(DataInput in) throws IOException {
        return in.readBoolean() ? Optional.of(new MailAddress(in.readUTF(), in.readUTF())) : Optional.empty();
    }
}
