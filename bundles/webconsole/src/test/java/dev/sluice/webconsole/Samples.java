package dev.sluice.webconsole;

import dev.sluice.api.mail.BodyType;
import dev.sluice.api.mail.ClientIdentity;
import dev.sluice.api.mail.DsnReturn;
import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.HeaderField;
import dev.sluice.api.mail.MailAddress;
import dev.sluice.api.mail.QueueId;
import dev.sluice.api.mail.Recipient;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.mail.ReversePath;
import dev.sluice.api.queue.Attempt;
import dev.sluice.api.queue.MessageDetail;
import dev.sluice.api.queue.QueueEntry;
import dev.sluice.api.queue.QueuedMessage;
import dev.sluice.api.queue.QueuedRecipient;
import dev.sluice.api.queue.RecipientStatus;
import java.lang.annotation.Annotation;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

final class Samples {

    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private Samples() {
    }

    static MessageDetail detail(String id, String sender, String recipient) {
        Envelope env = new Envelope(ReversePath.parse(sender), List.of(Recipient.of(MailAddress.parse(recipient))),
                BodyType.SEVEN_BIT, false, 0, DsnReturn.UNSPECIFIED, null, ClientIdentity.local("test"), T0);
        QueuedRecipient r = new QueuedRecipient(0, env.recipients().get(0), RecipientStatus.DEFERRED, T0.plusSeconds(600),
                List.of(new Attempt(T0, "mx.example.net[192.0.2.1]", Reply.of(451, "4.7.1", "try <later>"))));
        return new MessageDetail(new QueuedMessage(new QueueId(id), env, 1234, List.of(r), false),
                List.of(new HeaderField("Subject", "<b>hello</b>")));
    }

    static QueueEntry entry(String id) {
        return new QueueEntry(new QueueId(id), T0, false, List.of("example.net"), "example.com", 100, T0);
    }

    static QueuePlugin.Config queueConfig(int pageSize) {
        return new QueuePlugin.Config() {
            public int pageSize() {
                return pageSize;
            }

            public int refreshSeconds() {
                return 10;
            }

            public int topDestinations() {
                return 3;
            }

            public int csrfTokenLifetimeMinutes() {
                return 60;
            }

            public Class<? extends Annotation> annotationType() {
                return QueuePlugin.Config.class;
            }
        };
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
