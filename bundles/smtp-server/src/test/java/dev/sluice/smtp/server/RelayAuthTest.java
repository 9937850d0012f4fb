package dev.sluice.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.smtp.server.auth.PasswordHash;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Relay control (never an open relay) and AUTH PLAIN/LOGIN on a listener that allows it in clear. */
class RelayAuthTest {

    private static final String[] USERS = {"alice:" + PasswordHash.create("s3cret".toCharArray(), 1000)};

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void rcptGets(TestServer server, int code, String status) throws Exception {
        try (SmtpTestClient c = server.greeted()) {
            c.send("MAIL FROM:<a@b.test>");
            c.expect(250);
            c.send("RCPT TO:<x@y.test>");
            c.expect(code, status);
        }
    }

    @Test
    void loopbackIsTrustedByDefault() throws Exception {
        try (TestServer server = TestServer.start()) {
            rcptGets(server, 250, "2.1.5");
        }
    }

    @Test
    void emptyTrustedListTrustsNobody() throws Exception {
        try (TestServer server = new TestServer(TestConfig.loopback().with("trustedNetworks", new String[0]))) {
            rcptGets(server, 554, "5.7.1");
        }
        try (TestServer server = new TestServer(TestConfig.loopback().with("trustedNetworks", new String[] {""}))) {
            rcptGets(server, 554, "5.7.1");
        }
    }

    @Test
    void untrustedNetworkIsDenied() throws Exception {
        try (TestServer server = new TestServer(TestConfig.loopback()
                .with("trustedNetworks", new String[] {"10.0.0.0/8", "::1/128"}))) {
            rcptGets(server, 554, "5.7.1");
        }
    }

    @Test
    void authenticatedUsersMayRelayFromAnywhere() throws Exception {
        try (TestServer server = new TestServer(TestConfig.loopback().with("trustedNetworks", new String[0])
                .with("authUsers", USERS).with("allowPlaintextAuth", true));
             SmtpTestClient c = server.greeted()) {
            c.send("AUTH PLAIN " + b64("\0alice\0wrong"));
            c.expect(535, "5.7.8");
            c.send("AUTH PLAIN");
            c.expect(334);
            c.send("*");
            c.expect(501, "5.7.0");
            c.send("AUTH CRAM-MD5");
            c.expect(504, "5.5.4");
            c.send("AUTH PLAIN " + b64("\0alice\0s3cret"));
            c.expect(235, "2.7.0");
            c.send("AUTH PLAIN " + b64("\0alice\0s3cret"));
            c.expect(503, "5.5.1");
            c.sendMessage("alice@b.test", "x@y.test", "hi\r\n");
            c.expect(250);
            assertEquals("alice", server.queue.committed.get(0).envelope().client().authenticatedUser());
            // authenticated without TLS: RFC 3848's ESMTPA (ESMTPS and ESMTPSA are in TlsTest)
            assertTrue(server.queue.committed.get(0).text().contains(" with ESMTPA id "),
                    server.queue.committed.get(0).text());
        }
    }

    @Test
    void submissionRequiresAuth() throws Exception {
        try (TestServer server = new TestServer(TestConfig.loopback().with("requireAuth", true)
                .with("authUsers", USERS).with("allowPlaintextAuth", true));
             SmtpTestClient c = server.greeted()) {
            c.send("MAIL FROM:<a@b.test>");
            c.expect(530, "5.7.0");
            c.send("AUTH LOGIN");
            c.expect(334);
            c.send(b64("alice"));
            c.expect(334);
            c.send(b64("s3cret"));
            c.expect(235);
            c.send("MAIL FROM:<a@b.test>");
            c.expect(250);
        }
    }

    @Test
    void authNotOfferedWithoutTlsUnlessAllowed() throws Exception {
        try (TestServer server = new TestServer(TestConfig.loopback().with("authUsers", USERS));
             SmtpTestClient c = server.greeted()) {
            c.send("AUTH PLAIN " + b64("\0alice\0s3cret"));
            c.expect(538, "5.7.11");
        }
    }
}
