package dev.sluice.dsn;

import dev.sluice.api.event.DeliveryEvent;
import dev.sluice.api.mail.Reply;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The delivery log's line format: every field always present (null when it does not apply). */
final class DeliveryLogFormat {

    /** Fixed millisecond precision, so that lines sort and align (Instant.toString drops zero fractions). */
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX", Locale.ROOT).withZone(ZoneOffset.UTC);

    private DeliveryLogFormat() {
    }

    /** @param classification the bounce category label to log, or null */
    static String format(DeliveryEvent event, String classification) {
        Reply reply = event.reply();
        return new JsonLine()
                .string("time", TIME.format(event.at()))
                .string("kind", event.kind().name().toLowerCase(Locale.ROOT))
                .string("queue_id", event.queueId().value())
                .string("message_id", event.messageId())
                .string("sender", event.sender())
                .string("recipient", event.recipient())
                .string("destination", event.destination())
                .string("remote_host", event.remoteHost())
                .string("remote_ip", event.remoteIp())
                .string("tls", event.tlsProtocol())
                .number("code", reply == null ? null : reply.code())
                .string("enhanced", reply == null ? null : reply.enhancedStatus())
                .string("text", reply == null ? null : reply.text())
                .string("classification", classification)
                .number("attempt", event.attempt())
                .number("size", event.size())
                .toString();
    }
}
