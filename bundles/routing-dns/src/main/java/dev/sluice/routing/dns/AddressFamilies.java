package dev.sluice.routing.dns;

import dev.sluice.api.config.ConfigCheck;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.Type;

/** Which address records to look up for a host, in the order their addresses are tried. */
enum AddressFamilies {
    IPV4_FIRST(Type.A, Type.AAAA),
    IPV6_FIRST(Type.AAAA, Type.A),
    IPV4_ONLY(Type.A),
    IPV6_ONLY(Type.AAAA);

    private final List<Integer> types;

    AddressFamilies(Integer... types) {
        this.types = List.of(types);
    }

    List<Integer> types() {
        return types;
    }

    /** Parses the configuration form ({@code ipv4-first}, ...), naming {@code key} when it is wrong. */
    static AddressFamilies parse(String key, String value) {
        String v = ConfigCheck.oneOf(key, value, "ipv4-first", "ipv6-first", "ipv4-only", "ipv6-only");
        return valueOf(v.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
