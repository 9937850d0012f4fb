package dev.sluice.dsn;

import dev.sluice.api.delivery.BounceService;
import dev.sluice.api.delivery.DsnAction;
import dev.sluice.api.delivery.RecipientNotice;
import dev.sluice.api.mail.BodyType;
import dev.sluice.api.mail.ClientIdentity;
import dev.sluice.api.mail.DsnReturn;
import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.LocalHostName;
import dev.sluice.api.mail.MailAddress;
import dev.sluice.api.mail.Notify;
import dev.sluice.api.mail.QueueId;
import dev.sluice.api.mail.Recipient;
import dev.sluice.api.mail.ReversePath;
import dev.sluice.api.queue.MailQueue;
import dev.sluice.api.queue.MessageWriter;
import dev.sluice.api.queue.QueueException;
import dev.sluice.api.queue.QueuedMessage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one RFC 3464 DSN per call, covering the recipients whose NOTIFY asks for their action, from the null
 * sender to the original sender, through the queue like any other message.
 */
@Component(service = BounceService.class, configurationPid = "dev.sluice.dsn")
@Designate(ocd = DsnConfig.class)
public final class DsnBounceService implements BounceService {

    private static final Logger LOG = LoggerFactory.getLogger(DsnBounceService.class);

    private final MailQueue queue;
    private final Clock clock;
    private final DsnSettings settings;

    @Activate
    public DsnBounceService(DsnConfig config,
                            @Reference(name = "queue", policyOption = ReferencePolicyOption.GREEDY) MailQueue queue) {
        this(config, queue, Clock.systemUTC(), LocalHostName.detect());
    }

    DsnBounceService(DsnConfig config, MailQueue queue, Clock clock, String localHostName) {
        this.settings = DsnSettings.of(config, localHostName);
        this.queue = queue;
        this.clock = clock;
    }

    @Override
    public Optional<QueueId> notify(QueuedMessage message, List<RecipientNotice> recipients) throws QueueException {
        Optional<MailAddress> sender = message.envelope().sender().address();
        if (sender.isEmpty()) {
            return Optional.empty(); // never a bounce to the null sender: that is how bounce loops start
        }
        List<RecipientNotice> wanted = recipients.stream().filter(n -> n.recipient().wants(notifyKind(n.action())))
                .toList();
        if (wanted.isEmpty()) {
            return Optional.empty();
        }
        boolean failed = wanted.stream().anyMatch(n -> n.action() == DsnAction.FAILED);
        ReturnedOriginal original = ReturnedOriginal.prepare(queue, message, failed && returnsFull(message),
                settings.fullReturnMaxBytes());
        Instant arrival = message.envelope().receivedAt();
        Instant retryUntil = settings.lifetime().isZero() ? null : arrival.plus(settings.lifetime());
        String text = DsnText.of(settings.reportingMta(), wanted, retryUntil, original.note());
        String status = DeliveryStatusFields.of(settings.reportingMta(), message, wanted, retryUntil);
        boolean eightBit = original.eightBit() || !MailText.isAscii(text);
        Envelope envelope = new Envelope(ReversePath.NULL,
                List.of(new Recipient(sender.get(), Set.of(Notify.NEVER), null)),
                eightBit ? BodyType.EIGHT_BIT_MIME : BodyType.SEVEN_BIT,
                sender.get().needsSmtpUtf8() || eightBit && message.envelope().smtpUtf8(), 0,
                DsnReturn.UNSPECIFIED, null, ClientIdentity.local("dsn"), clock.instant());
        try (MessageWriter writer = queue.open(envelope)) {
            DsnWriter.Header header = new DsnWriter.Header("Mail Delivery System <" + settings.postmaster() + ">",
                    "<" + sender.get() + ">", subject(wanted), clock.instant(),
                    "<" + writer.queueId() + "." + clock.millis() + "@" + settings.reportingMta() + ">");
            String boundary = "=_sluice_" + UUID.randomUUID().toString().replace("-", "");
            OutputStream out = new BufferedOutputStream(writer.content(), 64 * 1024);
            DsnWriter.write(out, header, boundary, text, status, original);
            out.flush();
            QueueId id = commit(writer);
            LOG.info("DSN {} for {} ({} recipients) queued to <{}>", id, message.id(), wanted.size(), sender.get());
            return Optional.of(id);
        } catch (IOException e) {
            throw QueueException.ioError("cannot write the DSN for " + message.id() + ": " + e.getMessage(), e);
        }
    }

    private QueueId commit(MessageWriter writer) throws QueueException {
        try {
            long millis = settings.commitTimeout().toMillis();
            return writer.commit().toCompletableFuture().get(millis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof QueueException q) {
                throw q;
            }
            throw QueueException.ioError("DSN commit failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw QueueException.ioError("DSN commit took longer than " + settings.commitTimeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw QueueException.ioError("interrupted while committing a DSN", e);
        }
    }

    private boolean returnsFull(QueuedMessage message) {
        DsnReturn ret = message.envelope().dsnReturn();
        return ret == DsnReturn.FULL || ret == DsnReturn.UNSPECIFIED && settings.unspecifiedReturnsFull();
    }

    static Notify notifyKind(DsnAction action) {
        return switch (action) {
            case FAILED -> Notify.FAILURE;
            case DELAYED -> Notify.DELAY;
            case DELIVERED, RELAYED, EXPANDED -> Notify.SUCCESS;
        };
    }

    static String subject(List<RecipientNotice> notices) {
        if (notices.stream().anyMatch(n -> n.action() == DsnAction.FAILED)) {
            return "Undelivered Mail Returned to Sender";
        }
        if (notices.stream().anyMatch(n -> n.action() == DsnAction.DELAYED)) {
            return "Delayed Mail (still being retried)";
        }
        return "Successful Mail Delivery Report";
    }
}
