package dev.sluice.filter.suppression;

import dev.sluice.api.filter.FilterProperties;
import dev.sluice.api.filter.PreDeliveryFilter;
import dev.sluice.api.filter.PreDeliveryRequest;
import dev.sluice.api.filter.RcptFilter;
import dev.sluice.api.filter.RcptRequest;
import dev.sluice.api.filter.Verdict;
import dev.sluice.api.mail.MailAddress;
import dev.sluice.api.mail.Recipient;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps suppressed recipients from being mailed: at RCPT TO (550 5.7.1, or accepted and dropped, per
 * {@code action}), and again before each delivery for mail queued before the entry was added. Ranked high so
 * that it runs before filters that would spend work on the recipient. Non-blocking (an in-memory lookup whose
 * lock writers hold only briefly), so Sluice calls it in place, on the listener's I/O thread for RCPT.
 */
@Component(service = {RcptFilter.class, PreDeliveryFilter.class}, configurationPid = SuppressionStore.PID,
        property = {FilterProperties.NAME + "=suppression", "service.ranking:Integer=1000",
            FilterProperties.NON_BLOCKING + ":Boolean=true"})
public final class SuppressionFilter implements RcptFilter, PreDeliveryFilter {

    private static final Logger LOG = LoggerFactory.getLogger(SuppressionFilter.class);

    private final SuppressionStore store;
    private final boolean discard;

    @Activate
    public SuppressionFilter(@Reference SuppressionStore store, SuppressionConfig config) {
        this.store = store;
        this.discard = switch (config.action()) {
            case "reject" -> false;
            case "discard" -> true;
            default -> throw new IllegalArgumentException("action must be 'reject' or 'discard', got '"
                    + config.action() + "'");
        };
    }

    @Override
    public CompletionStage<Verdict> onRcpt(RcptRequest request) {
        MailAddress address = request.recipient().address();
        Optional<String> match = store.match(address);
        if (match.isEmpty()) {
            return CompletableFuture.completedFuture(Verdict.CONTINUE);
        }
        if (discard) {
            LOG.info("Recipient {} from <{}> is suppressed ({}): accepted and discarded", address, request.sender(),
                    match.get());
            return CompletableFuture.completedFuture(Verdict.DISCARD);
        }
        return CompletableFuture.completedFuture(
                Verdict.reject(550, "5.7.1", "<" + address + ">: recipient is on the suppression list"));
    }

    /**
     * A batch whose every recipient is suppressed is dropped (logged, recorded as discarded). A batch with only
     * some suppressed recipients cannot be split by a verdict: it goes out, with a warning naming them.
     */
    @Override
    public CompletionStage<Verdict> beforeDelivery(PreDeliveryRequest request) {
        List<Recipient> recipients = request.envelope().recipients();
        List<MailAddress> suppressed = recipients.stream().map(Recipient::address)
                .filter(a -> store.match(a).isPresent()).toList();
        if (suppressed.isEmpty()) {
            return CompletableFuture.completedFuture(Verdict.CONTINUE);
        }
        if (suppressed.size() == recipients.size()) {
            LOG.info("Message {} not delivered to {}: suppressed since it was queued", request.queueId(), suppressed);
            return CompletableFuture.completedFuture(Verdict.DISCARD);
        }
        LOG.warn("Message {} goes to {} although they were suppressed after it was queued: the batch also has "
                + "recipients that are not", request.queueId(), suppressed);
        return CompletableFuture.completedFuture(Verdict.CONTINUE);
    }
}
