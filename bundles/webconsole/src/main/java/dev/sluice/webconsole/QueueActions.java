package dev.sluice.webconsole;

import dev.sluice.api.queue.QueueAdmin;
import dev.sluice.api.queue.QueueException;
import dev.sluice.api.queue.QueueSelector;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * The queue page's POST actions. Scope {@code message} acts on one queue id ({@code id}); scopes
 * {@code destination} ({@code dest}) and {@code search} (the search criteria) are bulk and need confirmation.
 */
final class QueueActions {

    static final String ACTION = "action";
    static final String SCOPE = "scope";
    static final String ID = "id";
    static final String DEST = "dest";
    static final String[] ALL = {"retry", "hold", "release", "delete", "bounce"};

    private final PostGuard guard;
    private final Audit audit;

    QueueActions(PostGuard guard, Audit audit) {
        this.guard = guard;
        this.audit = audit;
    }

    void handle(HttpServletRequest request, HttpServletResponse response, QueueAdmin admin) throws IOException {
        String user = guard.user(request, response, "queue");
        if (user == null) {
            return;
        }
        String action = String.valueOf(request.getParameter(ACTION)).toLowerCase(Locale.ROOT);
        if (!java.util.List.of(ALL).contains(action)) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "Unknown action");
            return;
        }
        Outcome outcome = new Outcome(request, response, user, "queue." + action);
        String scope = String.valueOf(request.getParameter(SCOPE));
        QueueSelector selector;
        try {
            switch (scope) {
                case "message" -> selector = QueueSelector.byId(QueueForms.queueId(String.valueOf(Requests.param(request, ID))));
                case "destination" -> selector = QueueSelector.byDestination(
                        QueueForms.domain(String.valueOf(Requests.param(request, DEST))));
                case "search" -> selector = QueueForms.criteria(request);
                default -> throw new IllegalArgumentException("unknown scope: " + scope);
            }
        } catch (IllegalArgumentException e) {
            outcome.failed(scope, e.getMessage());
            return;
        }
        if (selector == null) {
            outcome.failed(scope, "refusing to act on the whole queue: give at least one search criterion");
            return;
        }
        String target = describe(selector);
        if (!"message".equals(scope) && !guard.confirmed(request, response, user, outcome.what, target)) {
            return;
        }
        if (admin == null) {
            outcome.failed(target, "queue not available (the scheduler is stopped or being updated)");
            return;
        }
        try {
            int count = apply(admin, action, selector);
            boolean missing = count == 0 && "message".equals(scope);
            audit.record(user, outcome.what, target, count + " message(s)");
            outcome.show(missing ? "no message with queue id " + selector.id()
                    : action + ": " + count + " message(s) (" + target + ")", missing);
        } catch (QueueException | IllegalArgumentException e) {
            outcome.failed(target, action + " failed: " + e.getMessage());
        }
    }

    /** How one action ends: an audit line when it failed, and the browser sent back to the page it came from. */
    private final class Outcome {
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final String user;
        private final String what;

        Outcome(HttpServletRequest request, HttpServletResponse response, String user, String what) {
            this.request = request;
            this.response = response;
            this.user = user;
            this.what = what;
        }

        void failed(String target, String message) {
            audit.record(user, what, target, "failed: " + message);
            show(message, true);
        }

        /** Back to the search or the message the form was on, which now shows the result. */
        void show(String text, boolean error) {
            Map<String, String> back = QueueForms.fields(request);
            String shown = Requests.param(request, "show");
            if (shown != null) {
                back.put("show", shown);
            }
            guard.seeOther(request, response, Requests.url(Requests.pluginRoot(request, QueuePlugin.LABEL), back), text,
                    error);
        }
    }

    static int apply(QueueAdmin admin, String action, QueueSelector selector) throws QueueException {
        return switch (action) {
            case "retry" -> admin.retryNow(selector);
            case "hold" -> admin.hold(selector);
            case "release" -> admin.release(selector);
            case "delete" -> admin.delete(selector, false);
            case "bounce" -> admin.delete(selector, true);
            default -> throw new IllegalArgumentException("unknown action: " + action);
        };
    }

    static String describe(QueueSelector s) {
        StringBuilder out = new StringBuilder();
        append(out, "id", s.id());
        append(out, "sender", s.sender());
        append(out, "recipient", s.recipient());
        append(out, "destination", s.destination());
        append(out, "sender-domain", s.senderDomain());
        append(out, "held", s.held());
        return out.toString();
    }

    private static void append(StringBuilder out, String name, Object value) {
        if (value != null) {
            out.append(out.length() == 0 ? "" : " ").append(name).append('=').append(value);
        }
    }
}
