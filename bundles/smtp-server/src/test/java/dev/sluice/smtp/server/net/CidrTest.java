package dev.sluice.smtp.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void matchesNetworks() throws Exception {
        assertTrue(Cidr.parse("127.0.0.0/8").contains(InetAddress.getByName("127.1.2.3")));
        assertFalse(Cidr.parse("127.0.0.0/8").contains(InetAddress.getByName("128.0.0.1")));
        assertTrue(Cidr.parse("10.1.2.128/25").contains(InetAddress.getByName("10.1.2.200")));
        assertFalse(Cidr.parse("10.1.2.128/25").contains(InetAddress.getByName("10.1.2.127")));
        assertTrue(Cidr.parse("::1/128").contains(InetAddress.getByName("::1")));
        assertFalse(Cidr.parse("::1/128").contains(InetAddress.getByName("127.0.0.1")));
        assertTrue(Cidr.parse("192.0.2.7").contains(InetAddress.getByName("::ffff:192.0.2.7")));
        assertTrue(Cidr.parse("0.0.0.0/0").contains(InetAddress.getByName("203.0.113.9")));
    }

    @Test
    void rejectsGarbageWithoutDnsLookups() {
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("example.com"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/x"));
        assertEquals("'' is not an IP address or CIDR network",
                assertThrows(IllegalArgumentException.class, () -> Cidr.parse("")).getMessage());
    }
}
