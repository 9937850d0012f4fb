package dev.sluice.dsn;

import dev.sluice.api.event.DeliveryEvent;
import dev.sluice.api.mail.Reply;
import java.util.Locale;

/** The delivery log's line format: every field always present (null when it does not apply). */
final class DeliveryLogFormat {

    private DeliveryLogFormat() {
    }

    /** @param classification the bounce category label to log, or null */
    static String format(DeliveryEvent event, String classification) {
        Reply reply = event.reply();
        return new JsonLine()
                .string("time", event.at().toString())
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
