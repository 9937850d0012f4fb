package dev.sluice.filter.dkim;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.sluice.api.filter.HeaderChange;
import dev.sluice.api.filter.PreDeliveryFilter;
import dev.sluice.api.filter.PreDeliveryRequest;
import dev.sluice.api.filter.Verdict;
import dev.sluice.api.mail.BodyType;
import dev.sluice.api.mail.ClientIdentity;
import dev.sluice.api.mail.DsnReturn;
import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.HeaderField;
import dev.sluice.api.mail.MailAddress;
import dev.sluice.api.mail.MessageContent;
import dev.sluice.api.mail.QueueId;
import dev.sluice.api.mail.Recipient;
import dev.sluice.api.mail.ReversePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What the scheduler does with pre-delivery filters: ask each in turn, then send the header it asked for. */
final class Delivery {

    private Delivery() {
    }

    static PreDeliveryRequest request(String queueId, MessageContent content) throws IOException {
        Envelope envelope = new Envelope(ReversePath.parse("bounce@example.com"),
                List.of(Recipient.of(MailAddress.parse("rcpt@example.net"))), BodyType.EIGHT_BIT_MIME, false, 0,
                DsnReturn.UNSPECIFIED, null, ClientIdentity.local("test"), Instant.now());
        return new PreDeliveryRequest(new QueueId(queueId), envelope, parsed(content), content);
    }

    static Verdict verdict(PreDeliveryFilter filter, PreDeliveryRequest request) {
        return filter.beforeDelivery(request).toCompletableFuture().join();
    }

    /** Runs the filters in order and writes the message as it would be sent: added fields on top. */
    static Path send(List<? extends PreDeliveryFilter> filters, String queueId, MessageContent content, Path out)
            throws IOException {
        List<HeaderField> added = new ArrayList<>();
        for (PreDeliveryFilter filter : filters) {
            MessageContent now = withAdded(added, content);
            Verdict v = verdict(filter, request(queueId, now));
            for (HeaderChange change : assertInstanceOf(Verdict.ModifyHeaders.class, v).changes()) {
                added.add(0, assertInstanceOf(HeaderChange.Add.class, change).field());
            }
        }
        try (OutputStream o = Files.newOutputStream(out); InputStream in = withAdded(added, content).openStream()) {
            in.transferTo(o);
        }
        return out;
    }

    static MessageContent withAdded(List<HeaderField> added, MessageContent content) {
        StringBuilder top = new StringBuilder();
        added.forEach(f -> top.append(f.toWire()));
        byte[] head = top.toString().getBytes(StandardCharsets.UTF_8);
        return new MessageContent() {
            @Override
            public InputStream openStream() throws IOException {
                return new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(head), content.openStream());
            }

            @Override
            public long size() {
                return head.length + content.size();
            }
        };
    }

    /** The header as the scheduler offers it to filters. */
    static List<HeaderField> parsed(MessageContent content) throws IOException {
        try (InputStream in = content.openStream()) {
            List<HeaderField> out = new ArrayList<>();
            for (String raw : RawHeader.read(in).fields()) {
                String text = new String(raw.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
                int colon = text.indexOf(':');
                out.add(new HeaderField(text.substring(0, colon), text.substring(colon + 1).strip()));
            }
            return out;
        }
    }
}
