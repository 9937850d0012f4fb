package dev.sluice.webconsole;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/** The checks every state-changing request passes before it acts. */
final class PostGuard {

    static final String CONFIRM = "confirm";

    private final CsrfTokens tokens;
    private final Results results;
    private final Audit audit;

    PostGuard(CsrfTokens tokens, Results results, Audit audit) {
        this.tokens = tokens;
        this.results = results;
        this.audit = audit;
    }

    /** CSRF tokens and result signatures under keys of their own, random per page instance. */
    static PostGuard create(Duration tokenLifetime, Clock clock, Audit audit) {
        SecureRandom random = new SecureRandom();
        return new PostGuard(new CsrfTokens(tokenLifetime, clock, random), new Results(new Hmac(random)), audit);
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

    /** After an action: 303 See Other to {@code page}, which shows {@code text} (see {@link Results}). */
    void seeOther(HttpServletRequest request, HttpServletResponse response, String page, String text, boolean error) {
        results.seeOther(response, page, Requests.user(request), text, error);
    }

    /** The result of the action this page follows, as HTML, or "". */
    String resultHtml(HttpServletRequest request) {
        return results.html(request);
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
