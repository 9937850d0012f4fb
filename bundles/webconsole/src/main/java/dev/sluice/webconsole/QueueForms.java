package dev.sluice.webconsole;

import dev.sluice.api.mail.MailAddress;
import dev.sluice.api.mail.QueueId;
import dev.sluice.api.queue.QueueSelector;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/** The queue page's search criteria: request parameters to a selector, and back to hidden form fields. */
final class QueueForms {

    static final String QUEUE_ID = "qid";
    static final String SENDER = "sender";
    static final String RECIPIENT = "recipient";
    static final String DESTINATION = "destination";
    static final String SENDER_DOMAIN = "senderdomain";
    static final String HELD = "held";
    static final String OFFSET = "offset";
    static final String LIMIT = "limit";
    private static final String[] CRITERIA = {QUEUE_ID, SENDER, RECIPIENT, DESTINATION, SENDER_DOMAIN, HELD};

    private QueueForms() {
    }

    /**
     * The selector for the criteria in the request, or null when there are none.
     *
     * @throws IllegalArgumentException for a malformed queue id, destination or sender domain
     */
    static QueueSelector criteria(HttpServletRequest request) {
        String qid = Requests.param(request, QUEUE_ID);
        String destination = Requests.param(request, DESTINATION);
        String senderDomain = Requests.param(request, SENDER_DOMAIN);
        QueueSelector selector = new QueueSelector(qid == null ? null : queueId(qid),
                Requests.param(request, SENDER), Requests.param(request, RECIPIENT),
                destination == null ? null : domain(destination), senderDomain == null ? null : domain(senderDomain),
                null,
                "yes".equals(Requests.param(request, HELD)) ? Boolean.TRUE : null, false);
        return selector.hasCriteria() ? selector : null;
    }

    /** The criteria as given, to carry them through a POST so the same results are shown afterwards. */
    static Map<String, String> fields(HttpServletRequest request) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String name : CRITERIA) {
            String value = Requests.param(request, name);
            if (value != null) {
                fields.put(name, value);
            }
        }
        return fields;
    }

    static QueueId queueId(String value) {
        try {
            return new QueueId(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a queue id: " + value, e);
        }
    }

    static String domain(String value) {
        try {
            // MailAddress validates the domain (labels, IDN); toAsciiDomain alone does not.
            return new MailAddress("postmaster", value.strip()).asciiDomain();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a domain: " + value, e);
        }
    }
}
