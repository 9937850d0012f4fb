package dev.sluice.routing.dns;

import java.net.InetAddress;
import java.util.Locale;

/**
 * One configured next hop: {@code host}, {@code host:port}, {@code 192.0.2.1:587} or {@code [2001:db8::1]:587}.
 *
 * @param host the name as configured (lower case), or the address text for an IP
 * @param address the address when the host is an IP address, else null (resolved through DNS)
 */
record HostPort(String host, InetAddress address, int port) {

    /** @throws IllegalArgumentException naming {@code key} and what is wrong */
    static HostPort parse(String key, String text, int defaultPort) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        String host = t;
        String port = null;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0 || (close < t.length() - 1 && t.charAt(close + 1) != ':')) {
                throw new IllegalArgumentException(key + ": '" + text + "' is not [ipv6]:port");
            }
            host = t.substring(1, close);
            port = close < t.length() - 1 ? t.substring(close + 2) : null;
        } else if (t.indexOf(':') >= 0 && t.indexOf(':') == t.lastIndexOf(':')) {
            host = t.substring(0, t.indexOf(':'));
            port = t.substring(t.indexOf(':') + 1);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        InetAddress address = AddressLiteral.parseIp(host);
        if (address == null && !Domains.isHostName(host)) {
            throw new IllegalArgumentException(key + ": '" + text + "' is neither a host name nor an IP address");
        }
        return new HostPort(host, address, port == null ? defaultPort : parsePort(key, text, port));
    }

    private static int parsePort(String key, String text, String port) {
        try {
            int p = Integer.parseInt(port);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + ": '" + text + "' has no valid port (1-65535)");
    }
}
