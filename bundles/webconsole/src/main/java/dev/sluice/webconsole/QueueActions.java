package dev.sluice.webconsole;

import dev.sluice.api.queue.QueueAdmin;
import dev.sluice.api.queue.QueueException;
import dev.sluice.api.queue.QueueSelector;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;

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
        String what = "queue." + action;
        String scope = String.valueOf(request.getParameter(SCOPE));
        QueueSelector selector;
        String target;
        try {
            switch (scope) {
                case "message" -> selector = QueueSelector.byId(QueueForms.queueId(String.valueOf(Requests.param(request, ID))));
                case "destination" -> selector = QueueSelector.byDestination(
                        QueueForms.domain(String.valueOf(Requests.param(request, DEST))));
                case "search" -> selector = QueueForms.criteria(request);
                default -> throw new IllegalArgumentException("unknown scope: " + scope);
            }
        } catch (IllegalArgumentException e) {
            fail(request, user, what, scope, e.getMessage());
            return;
        }
        if (selector == null) {
            fail(request, user, what, scope, "refusing to act on the whole queue: give at least one search criterion");
            return;
        }
        target = describe(selector);
        if (!"message".equals(scope) && !guard.confirmed(request, response, user, what, target)) {
            return;
        }
        if (admin == null) {
            fail(request, user, what, target, "queue not available (the scheduler is stopped or being updated)");
            return;
        }
        try {
            int count = apply(admin, action, selector);
            String text = count == 0 && "message".equals(scope) ? "no message with queue id " + selector.id()
                    : action + ": " + count + " message(s) (" + target + ")";
            audit.record(user, what, target, count + " message(s)");
            Requests.result(request, text, count == 0 && "message".equals(scope));
        } catch (QueueException | IllegalArgumentException e) {
            fail(request, user, what, target, action + " failed: " + e.getMessage());
        }
    }

    private void fail(HttpServletRequest request, String user, String what, String target, String message) {
        audit.record(user, what, target, "failed: " + message);
        Requests.result(request, message, true);
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
