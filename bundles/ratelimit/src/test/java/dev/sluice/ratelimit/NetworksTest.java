package dev.sluice.ratelimit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class NetworksTest {

    private static boolean in(String spec, String address) throws Exception {
        return Networks.parse("k", new String[] {spec}).contains(InetAddress.getByName(address));
    }

    @Test
    void prefixesOnAndOffByteBoundaries() throws Exception {
        assertTrue(in("10.0.0.0/8", "10.255.1.2"));
        assertFalse(in("10.0.0.0/8", "11.0.0.1"));
        assertTrue(in("172.16.0.0/12", "172.31.255.255"));
        assertFalse(in("172.16.0.0/12", "172.32.0.0"));
        assertFalse(in("172.16.0.0/12", "172.15.255.255"));
        assertTrue(in("192.0.2.7", "192.0.2.7"));
        assertFalse(in("192.0.2.7", "192.0.2.6"));
        assertTrue(in("0.0.0.0/0", "203.0.113.9"));
        assertTrue(in("2001:db8::/33", "2001:db8:7fff::1"));
        assertFalse(in("2001:db8::/33", "2001:db8:8000::1"));
        assertTrue(in("::1", "::1"));
        assertFalse(in("::1", "127.0.0.1"), "an IPv4 address is never in an IPv6 block");
    }
}
