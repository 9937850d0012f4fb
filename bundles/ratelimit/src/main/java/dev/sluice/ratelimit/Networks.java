package dev.sluice.ratelimit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** A set of CIDR blocks such as {@code 10.0.0.0/8} or {@code ::1/128}; a bare address is a single host. */
record Networks(List<Block> blocks) {

    record Block(byte[] network, int prefix) {
        /** Compares the first {@code prefix} bits, byte by byte (called for every connection and message). */
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = prefix / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[whole] & mask) == (network[whole] & mask);
        }
    }

    static Networks parse(String key, String[] specs) {
        List<Block> out = new ArrayList<>();
        for (String raw : specs == null ? new String[0] : specs) {
            for (String spec : raw.split(",")) {
                String s = spec.trim();
                if (s.isEmpty()) {
                    continue;
                }
                int slash = s.indexOf('/');
                String host = slash < 0 ? s : s.substring(0, slash);
                if (!host.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
                    throw new IllegalArgumentException(key + ": '" + s + "' is not an address or CIDR block");
                }
                byte[] addr;
                try {
                    addr = InetAddress.getByName(host).getAddress();
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException(key + ": '" + s + "' is not an address", e);
                }
                int prefix;
                try {
                    prefix = slash < 0 ? addr.length * 8 : Integer.parseInt(s.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(key + ": '" + s + "' has no whole prefix length", e);
                }
                if (prefix < 0 || prefix > addr.length * 8) {
                    throw new IllegalArgumentException(key + ": '" + s + "' has a prefix out of range");
                }
                out.add(new Block(addr, prefix));
            }
        }
        return new Networks(List.copyOf(out));
    }

    boolean contains(InetAddress address) {
        if (blocks.isEmpty()) {
            return false;
        }
        byte[] a = address.getAddress();
        return blocks.stream().anyMatch(b -> b.contains(a));
    }
}
