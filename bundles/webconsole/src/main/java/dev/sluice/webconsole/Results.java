package dev.sluice.webconsole;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What a POST did, shown on the page the browser is sent to afterwards. A POST is answered with 303 See Other to a
 * page (a GET), so reloading that page repeats nothing. The result text rides in the query string, signed for the
 * user under this page instance's key: a link made elsewhere cannot make the console claim what it did not do.
 */
final class Results {

    static final String TEXT = "result";
    static final String ERROR = "error";
    static final String SIGNATURE = "rsig";

    private final Hmac hmac;

    Results(Hmac hmac) {
        this.hmac = hmac;
    }

    /** Answers 303 See Other to {@code page} (a URL that may have a query already) with the result added. */
    void seeOther(HttpServletResponse response, String page, String user, String text, boolean error) {
        String location = page + (page.contains("?") ? "&" : "?") + TEXT + "=" + Html.uri(text)
                + (error ? "&" + ERROR + "=1" : "") + "&" + SIGNATURE + "=" + hmac.sign(signed(user, text, error));
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", location);
    }

    /** The result the request carries, escaped as HTML; "" when it has none or its signature is not right. */
    String html(HttpServletRequest request) {
        String text = request.getParameter(TEXT);
        boolean error = "1".equals(request.getParameter(ERROR));
        if (text == null || !hmac.verify(signed(Requests.user(request), text, error), request.getParameter(SIGNATURE))) {
            return "";
        }
        return Html.message(text, error);
    }

    private static String signed(String user, String text, boolean error) {
        return user + "\n" + error + "\n" + text;
    }
}
