package dev.sluice.api.mail;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The name this machine gives itself in greetings, Received lines, EHLO and DSNs when none is configured: the
 * {@code sluice.hostname} system property, else the first fully qualified name among the kernel's host name and
 * its canonical name, else the bare host name, else {@code localhost}. Reverse lookups of 127.0.0.1 (which
 * {@link InetAddress#getCanonicalHostName()} does on many hosts) answer {@code localhost}, a name that makes
 * receivers distrust the mail, so it is taken only as the last resort.
 */
public final class LocalHostName {

    /** The system property that overrides the detected name (Postfix's {@code myhostname}). */
    public static final String PROPERTY = "sluice.hostname";

    private static final Pattern DOMAIN = Pattern.compile(
            "(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\\.?");
    private static final Pattern ADDRESS_LITERAL = Pattern.compile("\\[(IPv6:)?[0-9A-Fa-f:.]+]");

    private LocalHostName() {
    }

    /** May block on name resolution: call it once, at activation, not per message. */
    public static String detect() {
        String configured = System.getProperty(PROPERTY, "").strip();
        if (!configured.isEmpty() && isDomainOrLiteral(configured)) {
            return configured;
        }
        String kernel = "";
        String canonical = "";
        try {
            InetAddress local = InetAddress.getLocalHost();
            kernel = local.getHostName();
            canonical = local.getCanonicalHostName();
        } catch (UnknownHostException e) {
            // the host name is not resolvable; fall through to the bare name or localhost
        }
        return choose(kernel, canonical);
    }

    static String choose(String kernel, String canonical) {
        if (qualified(kernel)) {
            return kernel;
        }
        if (qualified(canonical)) {
            return canonical;
        }
        if (kernel != null && isDomainOrLiteral(kernel) && !kernel.startsWith("localhost")) {
            return kernel;
        }
        return "localhost";
    }

    /** A domain name of letters, digits and hyphens (RFC 5321 4.1.2) or an address literal in brackets. */
    public static boolean isDomainOrLiteral(String name) {
        return name != null && !name.isEmpty() && name.length() <= 255
                && (ADDRESS_LITERAL.matcher(name).matches() || DOMAIN.matcher(name).matches());
    }

    private static boolean qualified(String name) {
        return name != null && name.indexOf('.') > 0 && !name.toLowerCase().startsWith("localhost")
                && DOMAIN.matcher(name).matches() && !Character.isDigit(name.charAt(name.length() - 1));
    }
}
