package dev.sluice.shell;

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
import dev.sluice.api.queue.QueueAdmin;
import dev.sluice.api.queue.QueuePage;
import dev.sluice.api.queue.QueueSelector;
import dev.sluice.api.queue.QueueSummary;
import dev.sluice.api.queue.QueuedMessage;
import dev.sluice.api.queue.QueuedRecipient;
import dev.sluice.api.queue.RecipientStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Fakes of the API services the commands use, and sample values. */
final class Fakes {

    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    private Fakes() {
    }

    static Audit audit(List<String> lines) {
        return new Audit(lines::add, CLOCK, "postmaster");
    }

    static final class Queue implements QueueAdmin {
        final List<String> calls = new ArrayList<>();
        final Set<String> known = new java.util.HashSet<>(Set.of("AAA111", "BBB222"));
        QueueSummary summary = new QueueSummary(0, Map.of(), 0, Map.of());
        java.util.Set<String> heldDestinations = java.util.Set.of();

        List<dev.sluice.api.queue.TenantWait> tenantWaits = List.of();

        @Override
        public java.util.Set<String> heldDestinations() {
            return heldDestinations;
        }

        @Override
        public List<dev.sluice.api.queue.TenantWait> tenantWaits() {
            return tenantWaits;
        }
        QueuePage page = new QueuePage(List.of(), 0, 0);
        QueueSelector lastSelector;
        int bulkCount = 3;

        public QueueSummary summary() {
            return summary;
        }

        public QueuePage search(QueueSelector selector, int offset, int limit) {
            calls.add("search " + offset + " " + limit);
            lastSelector = selector;
            return page;
        }

        public Optional<MessageDetail> show(QueueId id) {
            return known.contains(id.value()) ? Optional.of(detail(id.value())) : Optional.empty();
        }

        public int retryNow(QueueSelector s) {
            return act("retry", s);
        }

        public int hold(QueueSelector s) {
            return act("hold", s);
        }

        public int release(QueueSelector s) {
            return act("release", s);
        }

        public int delete(QueueSelector s, boolean bounce) {
            return act(bounce ? "bounce" : "delete", s);
        }

        private int act(String what, QueueSelector s) {
            calls.add(what + " " + QueueActionsDescribe.of(s));
            lastSelector = s;
            if (s.id() != null) {
                return known.contains(s.id().value()) ? 1 : 0;
            }
            return bulkCount;
        }
    }

    /** How a fake records a selector in its call list. */
    static final class QueueActionsDescribe {
        static String of(QueueSelector s) {
            return s.everything() ? "all" : s.id() != null ? "id=" + s.id() : "sender=" + s.sender() + ",destination=" + s.destination();
        }
    }

    static MessageDetail detail(String id) {
        Envelope env = new Envelope(ReversePath.parse("news@example.com"), List.of(Recipient.of(MailAddress.parse("bob@example.net")),
                Recipient.of(MailAddress.parse("carol@example.org"))), BodyType.SEVEN_BIT, false, 0, DsnReturn.UNSPECIFIED,
                null, ClientIdentity.local("submission"), T0);
        List<QueuedRecipient> rcpts = List.of(
                new QueuedRecipient(0, env.recipients().get(0), RecipientStatus.DEFERRED, T0.plusSeconds(300),
                        List.of(new Attempt(T0, "mx.example.net[192.0.2.1]", Reply.of(451, "4.7.1", "greylisted")))),
                new QueuedRecipient(1, env.recipients().get(1), RecipientStatus.DELIVERED, T0, List.of()));
        return new MessageDetail(new QueuedMessage(new QueueId(id), env, 2048, rcpts, false),
                List.of(new HeaderField("Subject", "Hello")));
    }
}
