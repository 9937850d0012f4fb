package dev.sluice.webconsole;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The checks every state-changing request passes before it acts. */
final class PostGuard {

    static final String CONFIRM = "confirm";

    private final CsrfTokens tokens;
    private final Audit audit;

    PostGuard(CsrfTokens tokens, Audit audit) {
        this.tokens = tokens;
        this.audit = audit;
    }

    String token(HttpServletRequest request) {
        return tokens.issue(Requests.user(request));
    }

    /** The authenticated user when the request carries a valid CSRF token; otherwise answers 403 and returns null. */
    String user(HttpServletRequest request, HttpServletResponse response, String page) throws IOException {
        String user = Requests.user(request);
        if (!tokens.verify(user, request.getParameter(CsrfTokens.FIELD))) {
            audit.record(user, page + "." + request.getParameter("action"), "-", "rejected: missing or invalid CSRF token");
            response.sendError(HttpServletResponse.SC_FORBIDDEN,
                    "Missing or expired CSRF token: reload the page and try again");
            return null;
        }
        return user;
    }

    /** Bulk actions need {@code confirm=yes}, which only the page's confirmation dialog sets. */
    boolean confirmed(HttpServletRequest request, HttpServletResponse response, String user, String what,
                      String target) throws IOException {
        if ("yes".equals(request.getParameter(CONFIRM))) {
            return true;
        }
        audit.record(user, what, target, "rejected: bulk action without confirm=yes");
        response.sendError(HttpServletResponse.SC_BAD_REQUEST,
                "A bulk action needs confirmation (confirm=yes): use the page's buttons");
        return false;
    }
}
