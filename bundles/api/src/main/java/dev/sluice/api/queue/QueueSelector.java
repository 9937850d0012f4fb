package dev.sluice.api.queue;

import dev.sluice.api.mail.QueueId;

/**
 * Which queued messages a search or a bulk action applies to. Non-null criteria are combined with AND;
 * text criteria match case-insensitively and exactly, except {@code sender} and {@code recipient},
 * which match as substrings. A selector with no criterion is refused by bulk actions unless made with
 * {@link #all()}, so that a form left empty can never purge the whole queue.
 *
 * @param destination an ASCII recipient domain with unfinished recipients
 * @param senderDomain the sender's ASCII domain
 * @param status only messages with at least one recipient in this state
 */
public record QueueSelector(QueueId id, String sender, String recipient, String destination,
                            String senderDomain, RecipientStatus status, Boolean held, boolean everything) {

    public static QueueSelector byId(QueueId id) {
        return new QueueSelector(id, null, null, null, null, null, null, false);
    }

    public static QueueSelector byDestination(String domain) {
        return new QueueSelector(null, null, null, domain, null, null, null, false);
    }

    public static QueueSelector bySenderDomain(String domain) {
        return new QueueSelector(null, null, null, null, domain, null, null, false);
    }

    public static QueueSelector all() {
        return new QueueSelector(null, null, null, null, null, null, null, true);
    }

    public boolean hasCriteria() {
        return id != null || sender != null || recipient != null || destination != null || senderDomain != null
                || status != null || held != null;
    }
}
