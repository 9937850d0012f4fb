package dev.sluice.routing.dns;

import dev.sluice.api.routing.NextHop;
import dev.sluice.api.routing.Route;
import dev.sluice.api.routing.TlsPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.Address;

/** RFC 5321 §4.1.3 address literals: {@code [192.0.2.1]} and {@code [IPv6:2001:db8::1]}. */
final class AddressLiteral {

    private AddressLiteral() {
    }

    static boolean isLiteral(String domain) {
        return domain.length() >= 2 && domain.charAt(0) == '[' && domain.charAt(domain.length() - 1) == ']';
    }

    /** A literal is its own site and its only hop; one naming this host is a loop. */
    static Route route(String literal, LoopGuard loops) {
        InetAddress address = parse(literal);
        if (address == null) {
            return Replies.badDomain(Replies.printable(literal), "malformed or unsupported address literal");
        }
        if (loops.isLocalAddress(address)) {
            return Replies.loop(literal, address.getHostAddress());
        }
        NextHop hop = new NextHop(literal, address, MxRouter.SMTP_PORT, 0, TlsPolicy.OPPORTUNISTIC, null);
        return new Route.Hops(literal, literal, List.of(hop));
    }

    /** @return the address, or null when the literal is malformed or of an unsupported kind */
    static InetAddress parse(String literal) {
        String inner = literal.substring(1, literal.length() - 1);
        byte[] bytes;
        if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) {
            bytes = Address.toByteArray(inner.substring(5), Address.IPv6);
        } else if (inner.indexOf(':') >= 0) {
            return null;
        } else {
            bytes = Address.toByteArray(inner, Address.IPv4);
        }
        return toAddress(bytes);
    }

    /**
     * Parses an IP address written without brackets ("192.0.2.1", "::1"). Never does a DNS lookup,
     * unlike {@link InetAddress#getByName}.
     */
    static InetAddress parseIp(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return toAddress(Address.toByteArray(t, t.indexOf(':') >= 0 ? Address.IPv6 : Address.IPv4));
    }

    private static InetAddress toAddress(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
