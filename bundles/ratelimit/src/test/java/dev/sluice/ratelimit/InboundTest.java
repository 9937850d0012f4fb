package dev.sluice.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.ClientIdentity;
import dev.sluice.api.mail.Reply;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InboundTest {

    private final TestClock clock = new TestClock("2026-11-23T10:00:00Z");
    private final InetAddress ip = address("192.0.2.10");
    private final InetAddress other = address("192.0.2.11");
    private final InboundComponent limiter = new InboundComponent(Configs.of(InboundComponent.Config.class,
            "maxConnectionsPerIp", 2, "connectionRatePerIp", "3/min", "messageRatePerClient", "2/min",
            "recipientRatePerClient", "3/min", "maxAuthFailures", 3, "authFailureWindowMinutes", 10,
            "authLockoutMinutes", 15, "exemptNetworks", new String[] {"10.0.0.0/8, ::1"}), clock);

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static ClientIdentity client(InetAddress ip, String user) {
        return new ClientIdentity(new InetSocketAddress(ip, 40000), "client.test", "submission", null, null, user);
    }

    @Test
    void concurrentConnectionsPerIp() {
        assertTrue(limiter.admitConnection(ip).isEmpty());
        assertTrue(limiter.admitConnection(ip).isEmpty());
        Reply r = limiter.admitConnection(ip).orElseThrow();
        assertEquals(421, r.code());
        assertEquals("4.7.0", r.enhancedStatus());
        assertEquals("Too many concurrent connections from 192.0.2.10 (limit 2); try again later", r.text());
        assertTrue(limiter.admitConnection(other).isEmpty(), "per IP");
        limiter.disconnected(ip);
        assertEquals(1, limiter.openConnections(ip), "the refused connection was not counted");
        assertTrue(limiter.admitConnection(ip).isEmpty());
    }

    @Test
    void connectionRatePerIp() {
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.admitConnection(ip).isEmpty());
            limiter.disconnected(ip);
        }
        Reply r = limiter.admitConnection(ip).orElseThrow();
        assertEquals("Too many connections from 192.0.2.10 (limit 3/min); try again later", r.text());
        assertEquals(0, limiter.openConnections(ip));
        clock.advance(Duration.ofSeconds(20));
        assertTrue(limiter.admitConnection(ip).isEmpty(), "one permit back after a third of a minute");
    }

    @Test
    void messageAndRecipientRatesPerUserElsePerIp() {
        ClientIdentity alice = client(ip, "alice");
        assertTrue(limiter.admitMessage(alice).isEmpty());
        assertTrue(limiter.admitMessage(client(other, "alice")).isEmpty());
        Reply r = limiter.admitMessage(alice).orElseThrow();
        assertEquals(450, r.code());
        assertEquals("4.7.1", r.enhancedStatus());
        assertEquals("Message rate limit exceeded for user alice (limit 2/min); try again later", r.text());
        assertTrue(limiter.admitMessage(client(ip, null)).isEmpty(), "the unauthenticated IP has its own budget");

        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.admitRecipient(client(ip, null)).isEmpty());
        }
        Reply rcpt = limiter.admitRecipient(client(ip, null)).orElseThrow();
        assertEquals(452, rcpt.code());
        assertEquals("4.5.3", rcpt.enhancedStatus());
        assertTrue(rcpt.text().startsWith("Recipient rate limit exceeded for 192.0.2.10"));
    }

    @Test
    void exemptNetworksHaveNoLimits() {
        InetAddress app = address("10.1.2.3");
        for (int i = 0; i < 10; i++) {
            assertTrue(limiter.admitConnection(app).isEmpty());
            assertTrue(limiter.admitMessage(client(app, null)).isEmpty());
        }
    }

    @Test
    void repeatedAuthFailuresLockTheAddressOut() {
        assertTrue(limiter.admitAuthentication(ip).isEmpty());
        limiter.authenticationFailed(ip);
        limiter.authenticationFailed(ip);
        assertTrue(limiter.admitAuthentication(ip).isEmpty(), "two failures are allowed");
        limiter.authenticationFailed(ip);
        Reply r = limiter.admitAuthentication(ip).orElseThrow();
        // RFC 4954 6: a temporary AUTH failure; the session stays open (421 would promise to close it)
        assertEquals(454, r.code());
        assertEquals("4.7.0", r.enhancedStatus());
        assertEquals("Too many failed authentication attempts from 192.0.2.10; locked out until 2026-11-23T10:15:00Z",
                r.text());
        assertTrue(limiter.admitAuthentication(other).isEmpty(), "per IP");
        clock.advance(Duration.ofMinutes(15));
        assertTrue(limiter.admitAuthentication(ip).isEmpty(), "the lockout expires");
    }

    @Test
    void failuresOutsideTheWindowDoNotLockOut() {
        limiter.authenticationFailed(ip);
        limiter.authenticationFailed(ip);
        clock.advance(Duration.ofMinutes(11));
        limiter.authenticationFailed(ip);
        assertTrue(limiter.admitAuthentication(ip).isEmpty());
    }

    @Test
    void badValuesNameTheKey() {
        RuleMatchingTest.assertMessage("messageRatePerClient: rate 'many/min' has no whole number before '/'", () ->
                new InboundComponent(Configs.of(InboundComponent.Config.class, "messageRatePerClient", "many/min")));
        RuleMatchingTest.assertMessage("exemptNetworks: '10.0.0.0/40' has a prefix out of range", () ->
                new InboundComponent(Configs.of(InboundComponent.Config.class, "exemptNetworks",
                        new String[] {"10.0.0.0/40"})));
    }
}
