package dev.sluice.shell;

import dev.sluice.api.queue.QueueAdmin;
import dev.sluice.api.queue.QueueException;
import dev.sluice.api.queue.QueueSelector;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Queue actions: {@code sluice:retry|hold|release|delete|bounce} on queue ids, on the messages matching
 * options, or with {@code --all} on the whole queue (never by default: an empty command does nothing).
 */
@Component(service = Object.class, property = {"osgi.command.scope=sluice", "osgi.command.function=retry",
        "osgi.command.function=hold", "osgi.command.function=release", "osgi.command.function=delete",
        "osgi.command.function=bounce"})
public class QueueActionCommands {

    /** Dynamic, so the commands answer "not available" while the scheduler is updated. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile QueueAdmin queueAdmin;

    private final Audit audit;

    @Activate
    public QueueActionCommands() {
        this(Audit.toLog());
    }

    QueueActionCommands(Audit audit) {
        this.audit = audit;
    }

    @Descriptor("make messages due now")
    public String retry(@Descriptor("every queued message") @Parameter(names = "--all", presentValue = "true", absentValue = "false") boolean all,
                        @Descriptor("sender contains") @Parameter(names = {"-s", "--sender"}, absentValue = "") String sender,
                        @Descriptor("a recipient contains") @Parameter(names = {"-r", "--recipient"}, absentValue = "") String recipient,
                        @Descriptor("recipient domain") @Parameter(names = {"-d", "--destination"}, absentValue = "") String destination,
                        @Descriptor("sender domain, exactly (from the index: purges a runaway sender fast)") @Parameter(names = {"--sender-domain"}, absentValue = "") String senderDomain,
                        @Descriptor("queue ids") String... ids) throws QueueException {
        return act("retry", all, sender, recipient, destination, senderDomain, ids);
    }

    @Descriptor("hold messages (not delivered until released); a destination alone also holds later arrivals")
    public String hold(@Descriptor("every queued message") @Parameter(names = "--all", presentValue = "true", absentValue = "false") boolean all,
                       @Descriptor("sender contains") @Parameter(names = {"-s", "--sender"}, absentValue = "") String sender,
                       @Descriptor("a recipient contains") @Parameter(names = {"-r", "--recipient"}, absentValue = "") String recipient,
                       @Descriptor("recipient domain") @Parameter(names = {"-d", "--destination"}, absentValue = "") String destination,
                       @Descriptor("sender domain, exactly (from the index: purges a runaway sender fast)") @Parameter(names = {"--sender-domain"}, absentValue = "") String senderDomain,
                       @Descriptor("queue ids") String... ids) throws QueueException {
        return act("hold", all, sender, recipient, destination, senderDomain, ids);
    }

    @Descriptor("release held messages")
    public String release(@Descriptor("every queued message") @Parameter(names = "--all", presentValue = "true", absentValue = "false") boolean all,
                          @Descriptor("sender contains") @Parameter(names = {"-s", "--sender"}, absentValue = "") String sender,
                          @Descriptor("a recipient contains") @Parameter(names = {"-r", "--recipient"}, absentValue = "") String recipient,
                          @Descriptor("recipient domain") @Parameter(names = {"-d", "--destination"}, absentValue = "") String destination,
                          @Descriptor("sender domain, exactly (from the index: purges a runaway sender fast)") @Parameter(names = {"--sender-domain"}, absentValue = "") String senderDomain,
                          @Descriptor("queue ids") String... ids) throws QueueException {
        return act("release", all, sender, recipient, destination, senderDomain, ids);
    }

    @Descriptor("delete messages without telling their senders")
    public String delete(@Descriptor("every queued message") @Parameter(names = "--all", presentValue = "true", absentValue = "false") boolean all,
                         @Descriptor("sender contains") @Parameter(names = {"-s", "--sender"}, absentValue = "") String sender,
                         @Descriptor("a recipient contains") @Parameter(names = {"-r", "--recipient"}, absentValue = "") String recipient,
                         @Descriptor("recipient domain") @Parameter(names = {"-d", "--destination"}, absentValue = "") String destination,
                         @Descriptor("sender domain, exactly (from the index: purges a runaway sender fast)") @Parameter(names = {"--sender-domain"}, absentValue = "") String senderDomain,
                         @Descriptor("queue ids") String... ids) throws QueueException {
        return act("delete", all, sender, recipient, destination, senderDomain, ids);
    }

    @Descriptor("delete messages and send their senders a DSN for every unfinished recipient")
    public String bounce(@Descriptor("every queued message") @Parameter(names = "--all", presentValue = "true", absentValue = "false") boolean all,
                         @Descriptor("sender contains") @Parameter(names = {"-s", "--sender"}, absentValue = "") String sender,
                         @Descriptor("a recipient contains") @Parameter(names = {"-r", "--recipient"}, absentValue = "") String recipient,
                         @Descriptor("recipient domain") @Parameter(names = {"-d", "--destination"}, absentValue = "") String destination,
                         @Descriptor("sender domain, exactly (from the index: purges a runaway sender fast)") @Parameter(names = {"--sender-domain"}, absentValue = "") String senderDomain,
                         @Descriptor("queue ids") String... ids) throws QueueException {
        return act("bounce", all, sender, recipient, destination, senderDomain, ids);
    }

    String act(String action, boolean all, String sender, String recipient, String destination, String senderDomain,
               String... ids) throws QueueException {
        QueueSelector criteria = Selectors.of(sender, recipient, destination, senderDomain, false);
        boolean hasIds = ids != null && ids.length > 0;
        if ((hasIds ? 1 : 0) + (criteria != null ? 1 : 0) + (all ? 1 : 0) > 1) {
            throw new IllegalArgumentException("give queue ids, or options, or --all; not several of them");
        }
        if (!hasIds && criteria == null && !all) {
            throw new IllegalArgumentException("refusing to act on the whole queue without --all"
                    + " (give queue ids or --sender/--recipient/--destination/--sender-domain)");
        }
        QueueAdmin admin = Unavailable.require(queueAdmin, "queue", "scheduler");
        if (!hasIds) {
            QueueSelector selector = all ? QueueSelector.all() : criteria;
            String target = all ? "all" : describe(criteria);
            int count = apply(admin, action, selector, target);
            return action + ": " + count + " message(s) (" + target + ")\n";
        }
        List<String> missing = new ArrayList<>();
        int count = 0;
        for (String id : ids) {
            int n = apply(admin, action, QueueSelector.byId(Selectors.id(id)), "id=" + id);
            count += n;
            if (n == 0) {
                missing.add(id);
            }
        }
        if (ids.length == 1 && count == 0) {
            throw new IllegalArgumentException("no message with queue id " + ids[0]);
        }
        return action + ": " + count + " message(s)" + (missing.isEmpty() ? "" : "; no message with queue id "
                + String.join(", ", missing)) + "\n";
    }

    private int apply(QueueAdmin admin, String action, QueueSelector selector, String target) throws QueueException {
        try {
            int n = switch (action) {
                case "retry" -> admin.retryNow(selector);
                case "hold" -> admin.hold(selector);
                case "release" -> admin.release(selector);
                case "delete" -> admin.delete(selector, false);
                case "bounce" -> admin.delete(selector, true);
                default -> throw new IllegalArgumentException("unknown action " + action);
            };
            audit.record("queue." + action, target, n + " message(s)");
            return n;
        } catch (QueueException | RuntimeException e) {
            audit.record("queue." + action, target, "failed: " + e.getMessage());
            throw e;
        }
    }

    private static String describe(QueueSelector s) {
        StringBuilder out = new StringBuilder();
        if (s.sender() != null) {
            out.append("sender=").append(s.sender()).append(' ');
        }
        if (s.recipient() != null) {
            out.append("recipient=").append(s.recipient()).append(' ');
        }
        if (s.destination() != null) {
            out.append("destination=").append(s.destination()).append(' ');
        }
        if (s.senderDomain() != null) {
            out.append("sender-domain=").append(s.senderDomain());
        }
        return out.toString().strip();
    }
}
