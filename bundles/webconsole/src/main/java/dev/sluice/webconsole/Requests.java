package dev.sluice.webconsole;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.apache.felix.webconsole.servlet.User;

/** Reading what the console and the browser put into a request. */
final class Requests {

    private Requests() {
    }

    /** The user the console's security provider authenticated. */
    static String user(HttpServletRequest request) {
        Object user = request.getAttribute(User.USER_ATTRIBUTE);
        if (user instanceof User u && u.getUserObject() != null) {
            return String.valueOf(u.getUserObject());
        }
        String remote = request.getRemoteUser();
        return remote != null ? remote : "unknown";
    }

    /** The trimmed parameter, or null when absent or blank. */
    static String param(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    static int intParam(HttpServletRequest request, String name, int fallback, int min, int max) {
        String value = param(request, name);
        if (value == null) {
            return fallback;
        }
        try {
            return Math.max(min, Math.min(max, Integer.parseInt(value)));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static String pluginRoot(HttpServletRequest request, String label) {
        Object root = request.getAttribute(ServletConstants.ATTR_PLUGIN_ROOT);
        return root != null ? String.valueOf(root) : label;
    }

    /** {@code root} with the parameters as its query, each encoded. */
    static String url(String root, Map<String, String> parameters) {
        StringBuilder url = new StringBuilder(root);
        parameters.forEach((k, v) -> url.append(url.length() == root.length() ? '?' : '&').append(Html.uri(k)).append('=')
                .append(Html.uri(v)));
        return url.toString();
    }
}
