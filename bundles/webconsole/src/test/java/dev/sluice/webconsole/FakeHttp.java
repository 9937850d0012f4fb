package dev.sluice.webconsole;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.apache.felix.webconsole.servlet.User;

/** A servlet request and response as far as the pages use them, made with dynamic proxies. */
final class FakeHttp {

    final Map<String, String> params = new HashMap<>();
    final Map<String, Object> attributes = new HashMap<>();
    final Map<String, String> headers = new HashMap<>();
    private final String user;
    String pathInfo = "/sluice-queue";
    String remoteAddr = "127.0.0.1";
    final StringWriter body = new StringWriter();
    int status = 200;
    String error;
    String contentType;

    FakeHttp(String user) {
        this.user = user;
        if (user != null) {
            attributes.put(User.USER_ATTRIBUTE, new User() {
                @Override
                public Object getUserObject() {
                    return user;
                }

                @Override
                public boolean authorize(String role) {
                    return true;
                }
            });
        }
    }

    FakeHttp param(String name, String value) {
        params.put(name, value);
        return this;
    }

    HttpServletRequest request() {
        return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getParameter" -> params.get((String) args[0]);
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    case "getPathInfo" -> pathInfo;
                    case "getRemoteAddr" -> remoteAddr;
                    case "getHeader", "getRemoteUser" -> null;
                    case "toString" -> "FakeRequest";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    HttpServletResponse response() {
        PrintWriter writer = new PrintWriter(body, true);
        return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getWriter":
                            return writer;
                        case "sendError":
                            status = (Integer) args[0];
                            error = args.length > 1 ? (String) args[1] : null;
                            return null;
                        case "setStatus":
                            status = (Integer) args[0];
                            return null;
                        case "getStatus":
                            return status;
                        case "setContentType":
                            contentType = (String) args[0];
                            return null;
                        case "setHeader":
                            headers.put((String) args[0], (String) args[1]);
                            return null;
                        case "addHeader", "setCharacterEncoding", "setDateHeader", "setIntHeader":
                            return null;
                        case "toString":
                            return "FakeResponse";
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    /**
     * The GET the browser makes after this POST's 303 See Other, by the same user: its Location's query as
     * parameters. Fails unless the answer was a 303.
     */
    FakeHttp redirect() {
        if (status != 303 || headers.get("Location") == null) {
            throw new AssertionError("not a 303 See Other but " + status + " " + headers);
        }
        FakeHttp next = new FakeHttp(user);
        String location = headers.get("Location");
        int q = location.indexOf('?');
        if (q >= 0) {
            for (String pair : location.substring(q + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                next.param(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
            }
        }
        return next;
    }

    String html() {
        return body.toString();
    }

    /** The text of the page's result line (escaped as on the page), or "" when it shows none. */
    String result() {
        String html = html();
        int at = html.indexOf("id='sluice-result'>");
        return at < 0 ? "" : html.substring(at + "id='sluice-result'>".length(), html.indexOf("</p>", at));
    }
}
