package dev.sluice.routing.dns;

import java.net.InetAddress;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Knows the names and addresses of this Sluice, so that mail is not routed back to itself. */
final class LoopGuard {

    private final Set<String> names = new HashSet<>();
    private final Set<InetAddress> addresses = new HashSet<>();

    /** @throws IllegalArgumentException naming the key when an address is not an IP address */
    LoopGuard(String[] localNames, String[] localAddresses) {
        for (String n : localNames) {
            if (!n.isBlank()) {
                names.add(normalise(n));
            }
        }
        for (String a : localAddresses) {
            if (a.isBlank()) {
                continue;
            }
            InetAddress address = AddressLiteral.parseIp(a);
            if (address == null) {
                throw new IllegalArgumentException("localAddresses: '" + a + "' is not an IP address");
            }
            addresses.add(address);
        }
    }

    boolean isLocalName(String host) {
        return names.contains(normalise(host));
    }

    boolean isLocalAddress(InetAddress address) {
        return addresses.contains(address);
    }

    boolean anyLocal(Collection<InetAddress> candidates) {
        for (InetAddress a : candidates) {
            if (addresses.contains(a)) {
                return true;
            }
        }
        return false;
    }

    private static String normalise(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
