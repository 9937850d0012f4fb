package dev.sluice.webconsole;

import java.util.Map;
import org.owasp.encoder.Encode;

/** Escaping and the small form snippets every page uses; nothing reaches the page unescaped. */
final class Html {

    private Html() {
    }

    static String text(Object value) {
        return value == null ? "" : Encode.forHtml(String.valueOf(value));
    }

    /** forHtml rather than forHtmlAttribute: it also escapes {@code <} and {@code >}, safe in any quoted attribute. */
    static String attr(Object value) {
        return text(value);
    }

    /** A JavaScript string literal's content inside an HTML event attribute: JS escaping, then HTML escaping. */
    static String jsInAttr(String value) {
        return Encode.forHtml(Encode.forJavaScript(value));
    }

    static String uri(Object value) {
        return value == null ? "" : Encode.forUriComponent(String.valueOf(value));
    }

    static String hidden(String name, Object value) {
        return value == null ? "" : "<input type='hidden' name='" + attr(name) + "' value='" + attr(value) + "'>";
    }

    /**
     * A POST form with the CSRF token and one button per action. With {@code confirm} the browser asks
     * first; with {@code bulk} the answer also sets {@code confirm=yes}, which the server insists on, so
     * a bulk action never runs from a form submitted without the question. The handler must say
     * {@code window.confirm}: inline handlers resolve names against the form first, where {@code confirm} is
     * that hidden field, so a bare {@code confirm(...)} throws and the browser submits without asking.
     */
    static String actionForm(String url, String token, Map<String, String> fields, String confirm, boolean bulk,
                             String dataAttribute, String... actions) {
        StringBuilder out = new StringBuilder("<form method='post' style='display:inline' action='")
                .append(attr(url)).append("'");
        if (dataAttribute != null) {
            out.append(' ').append(dataAttribute);
        }
        if (confirm != null) {
            out.append(" onsubmit=\"if(!window.confirm('").append(jsInAttr(confirm)).append("'))return false;")
                    .append(bulk ? "this.elements['confirm'].value='yes';" : "").append("return true;\"");
        }
        out.append('>').append(hidden(CsrfTokens.FIELD, token));
        if (bulk) {
            out.append("<input type='hidden' name='confirm' value=''>");
        }
        fields.forEach((name, value) -> out.append(hidden(name, value)));
        for (String action : actions) {
            out.append("<button type='submit' class='ui-state-default ui-corner-all' name='action' value='")
                    .append(attr(action)).append("'>").append(text(action)).append("</button> ");
        }
        return out.append("</form>").toString();
    }

    static String message(String text, boolean error) {
        return "<p class='statline" + (error ? " ui-state-error" : "") + "' id='sluice-result'>" + text(text) + "</p>";
    }
}
