package dev.sluice.shell;

import dev.sluice.api.config.ConfigCheck;
import dev.sluice.api.mail.HeaderField;
import dev.sluice.api.queue.Attempt;
import dev.sluice.api.queue.MessageDetail;
import dev.sluice.api.queue.QueueAdmin;
import dev.sluice.api.queue.QueueEntry;
import dev.sluice.api.queue.QueueException;
import dev.sluice.api.queue.QueuePage;
import dev.sluice.api.queue.QueueSelector;
import dev.sluice.api.queue.QueueSummary;
import dev.sluice.api.queue.QueuedRecipient;
import dev.sluice.api.queue.RecipientStatus;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Read-only queue commands: {@code sluice:queue}, {@code sluice:search}, {@code sluice:show}. */
@Component(service = Object.class, configurationPid = QueueCommands.PID, property = {"osgi.command.scope=sluice",
        "osgi.command.function=queue", "osgi.command.function=search", "osgi.command.function=show"})
@Designate(ocd = QueueCommands.Config.class)
public class QueueCommands {

    static final String PID = "dev.sluice.shell";

    @ObjectClassDefinition(name = "Sluice shell commands", description = "Gogo commands in the sluice scope.")
    public @interface Config {
        @AttributeDefinition(name = "Search page size (messages)", min = "1", max = "1000",
                description = "Default --limit of sluice:search. Range: 1 to 1000.")
        int searchLimit() default 20;

        @AttributeDefinition(name = "Destinations listed", min = "0", max = "1000",
                description = "How many destinations sluice:queue lists. Range: 0 to 1000.")
        int topDestinations() default 10;
    }

    /** Dynamic, so the commands answer "not available" while the scheduler is updated. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile QueueAdmin queueAdmin;

    private final Config config;

    @Activate
    public QueueCommands(Config config) {
        ConfigCheck.between("searchLimit", config.searchLimit(), 1, 1000);
        ConfigCheck.between("topDestinations", config.topDestinations(), 0, 1000);
        this.config = config;
    }

    private QueueAdmin admin() {
        return Unavailable.require(queueAdmin, "queue", "scheduler");
    }

    @Descriptor("queue summary: messages, held, recipients by state, the destinations with most messages")
    public String queue() {
        QueueSummary s = admin().summary();
        StringBuilder out = new StringBuilder().append("messages: ").append(s.messages()).append("  held: ")
                .append(s.heldMessages()).append("\nrecipients:");
        for (RecipientStatus status : RecipientStatus.values()) {
            out.append(' ').append(status.name().toLowerCase(Locale.ROOT)).append(' ')
                    .append(s.recipientsByStatus().getOrDefault(status, 0L));
        }
        Table table = new Table("DESTINATION", "MESSAGES");
        s.messagesByDestination().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(config.topDestinations()).forEach(e -> table.row(e.getKey(), e.getValue()));
        out.append("\ndestinations: ").append(s.messagesByDestination().size());
        Set<String> held = admin().heldDestinations();
        if (!held.isEmpty()) {
            out.append("\nheld destinations (new mail kept back too; sluice:release -d <domain>): ")
                    .append(String.join(", ", new TreeSet<>(held)));
        }
        return table.size() == 0 ? out.append('\n').toString() : out.append('\n').append(table).toString();
    }

    @Descriptor("search the queue (sender and recipient match substrings)")
    public String search(
            @Descriptor("envelope sender contains") @Parameter(names = {"-s", "--sender"}, absentValue = "") String sender,
            @Descriptor("a recipient contains") @Parameter(names = {"-r", "--recipient"}, absentValue = "") String recipient,
            @Descriptor("recipient domain") @Parameter(names = {"-d", "--destination"}, absentValue = "") String destination,
            @Descriptor("sender domain, exactly") @Parameter(names = {"--sender-domain"}, absentValue = "") String senderDomain,
            @Descriptor("only held messages") @Parameter(names = {"--held"}, presentValue = "true", absentValue = "false") boolean held,
            @Descriptor("list the whole queue, page by page") @Parameter(names = {"--all"}, presentValue = "true", absentValue = "false") boolean all,
            @Descriptor("first result to show") @Parameter(names = {"-o", "--offset"}, absentValue = "0") int offset,
            @Descriptor("results to show (0: the configured page size)") @Parameter(names = {"-l", "--limit"}, absentValue = "0") int limit) {
        QueueSelector selector = Selectors.of(sender, recipient, destination, senderDomain, held);
        if (selector == null && !all) {
            throw new IllegalArgumentException("give --sender, --recipient, --destination, --sender-domain or --held (or --all to page through the whole queue)");
        }
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("--offset and --limit must not be negative");
        }
        int pageSize = Math.min(limit == 0 ? config.searchLimit() : limit, 1000);
        QueuePage page = admin().search(selector == null ? QueueSelector.all() : selector, offset, pageSize);
        Table table = new Table("QUEUE ID", "QUEUED AT", "NEXT ATTEMPT", "HELD", "SIZE", "SENDER DOMAIN", "DESTINATIONS");
        for (QueueEntry e : page.entries()) {
            table.row(e.id(), e.queuedAt(), e.nextAttempt(), e.held() ? "held" : "-", e.size(),
                    e.senderDomain().isEmpty() ? "<>" : e.senderDomain(), String.join(",", e.destinations()));
        }
        String footer = page.entries().isEmpty() ? "no matching message"
                : "messages " + (offset + 1) + "-" + (offset + page.entries().size())
                + (page.total() >= 0 ? " of " + page.total() : "")
                + (page.entries().size() == pageSize ? "; next page: --offset " + (offset + pageSize) : "");
        return (page.entries().isEmpty() ? "" : table.toString()) + footer + "\n";
    }

    @Descriptor("show one message: envelope, recipients with their attempts, header")
    public String show(@Descriptor("queue id") String id) throws QueueException {
        MessageDetail d = admin().show(Selectors.id(id))
                .orElseThrow(() -> new IllegalArgumentException("no message with queue id " + id));
        var m = d.message();
        var env = m.envelope();
        StringBuilder out = new StringBuilder().append("queue id: ").append(m.id())
                .append("\nsender: ").append(env.sender().isNull() ? "<>" : env.sender())
                .append("\nsize: ").append(m.size()).append(" bytes\nheld: ").append(m.held() ? "yes" : "no")
                .append("\nreceived: ").append(env.receivedAt()).append(" from ").append(env.client().remote())
                .append(" (").append(env.client().listener()).append(")\nrecipients:\n");
        for (QueuedRecipient r : m.recipients()) {
            out.append("  ").append(r.recipient().address()).append("  ").append(r.status())
                    .append(r.status().isFinal() ? "" : "  next " + r.nextAttempt()).append('\n');
            for (Attempt a : r.attempts()) {
                out.append("    ").append(a.at()).append(' ').append(a.remoteHost()).append(": ").append(a.reply()).append('\n');
            }
        }
        out.append("header:\n");
        for (HeaderField h : d.headers()) {
            out.append("  ").append(h.name()).append(": ").append(h.value().replace("\r\n", "")).append('\n');
        }
        return out.toString();
    }
}
