package dev.sluice.webconsole;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.apache.felix.webconsole.servlet.User;

/** A servlet request and response as far as the pages use them, made with dynamic proxies. */
final class FakeHttp {

    final Map<String, String> params = new HashMap<>();
    final Map<String, Object> attributes = new HashMap<>();
    String pathInfo = "/sluice-queue";
    String remoteAddr = "127.0.0.1";
    final StringWriter body = new StringWriter();
    int status = 200;
    String error;
    String contentType;

    FakeHttp(String user) {
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
                        case "setHeader", "addHeader", "setCharacterEncoding", "setDateHeader", "setIntHeader":
                            return null;
                        case "toString":
                            return "FakeResponse";
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    String html() {
        return body.toString();
    }
}
