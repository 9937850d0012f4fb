package dev.sluice.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.smtp.server.auth.PasswordHash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STARTTLS (RFC 3207), implicit TLS and AUTH over TLS with a keytool-generated certificate. */
class TlsTest {

    @TempDir
    static Path dir;
    private static Path keystore;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        keystore = TestCertificates.keystore(dir);
        server = new TestServer(withKeystore(TestConfig.loopback().with("tlsMode", "starttls"))
                .with("authUsers", new String[] {"alice:" + PasswordHash.create("s3cret".toCharArray(), 1000)}));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestConfig withKeystore(TestConfig config) {
        return config.with("tlsKeystorePath", keystore.toString()).with("tlsKeystorePassword", TestCertificates.PASSWORD);
    }

    @Test
    void startTlsUpgradesAndResetsTheSession() throws Exception {
        try (SmtpTestClient c = server.greeted()) {
            c.send("AUTH PLAIN " + plain("alice", "s3cret"));
            c.expect(538, "5.7.11");
            c.send("MAIL FROM:<a@b.test>");
            c.expect(250);
            c.send("STARTTLS");
            c.expect(220, "2.0.0");
            c.startTls();
            assertNotNull(c.tlsProtocol());
            c.send("RCPT TO:<x@y.test>");
            c.expect(503, "5.5.1"); // TLS reset the transaction and the greeting
            c.send("EHLO client.test");
            String ehlo = c.expect(250);
            assertFalse(ehlo.contains("STARTTLS"), ehlo);
            assertTrue(ehlo.contains("AUTH PLAIN LOGIN"), ehlo);
            c.send("STARTTLS");
            c.expect(503, "5.5.1");
            c.send("AUTH PLAIN " + plain("alice", "s3cret"));
            c.expect(235, "2.7.0");
            c.sendMessage("alice@b.test", "x@y.test", "Subject: tls\r\n\r\nhi\r\n");
            String reply = c.expect(250, "2.0.0");
            String id = reply.substring(reply.lastIndexOf(' ') + 1);
            String stored = server.queue.committed.stream().filter(s -> s.id().value().equals(id))
                    .findFirst().orElseThrow().text();
            assertTrue(stored.contains("(using " + c.tlsProtocol() + " with cipher "), stored);
            assertTrue(stored.contains("with ESMTPSA id " + id), stored);
        }
    }

    @Test
    void plaintextPipelinedAfterStartTlsIsDiscarded() throws Exception {
        try (SmtpTestClient c = server.greeted()) {
            c.raw("STARTTLS\r\nMAIL FROM:<injected@evil.test>\r\nRCPT TO:<x@y.test>\r\n");
            c.expect(220, "2.0.0");
            c.startTls();
            c.send("EHLO client.test");
            c.expect(250); // the first reply in TLS answers EHLO, not the injected MAIL
            c.send("RCPT TO:<x@y.test>");
            c.expect(503, "5.5.1"); // no transaction: the injected MAIL was never executed
            c.send("NOOP");
            c.expect(250);
        }
    }

    @Test
    void authFailureOverTls() throws Exception {
        try (SmtpTestClient c = server.greeted()) {
            c.send("STARTTLS");
            c.expect(220);
            c.startTls();
            c.send("EHLO client.test");
            c.expect(250);
            c.send("AUTH LOGIN");
            c.expect(334);
            c.send(b64("alice"));
            c.expect(334);
            c.send(b64("wrong"));
            c.expect(535, "5.7.8");
            c.send("AUTH LOGIN " + b64("alice"));
            c.expect(334);
            c.send(b64("s3cret"));
            c.expect(235, "2.7.0");
        }
    }

    @Test
    void implicitTlsWithPemFiles() throws Exception {
        Path[] pem = TestCertificates.pem(keystore);
        try (TestServer implicit = new TestServer(TestConfig.loopback().with("tlsMode", "implicit")
                .with("tlsCertificatePath", pem[0].toString()).with("tlsPrivateKeyPath", pem[1].toString()));
             SmtpTestClient c = implicit.connect()) {
            c.startTls();
            c.expect(220);
            c.send("EHLO client.test");
            assertFalse(c.expect(250).contains("STARTTLS"));
            c.sendMessage("a@b.test", "x@y.test", "hi\r\n");
            c.expect(250);
            assertTrue(implicit.queue.committed.get(0).text().contains("with ESMTPS id"));
        }
    }

    @Test
    void badTlsSettingsNameTheKey() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new TestServer(withKeystore(TestConfig.loopback().with("tlsMode", "starttls"))
                        .with("tlsProtocols", new String[] {"SSLv2"})));
        assertTrue(e.getMessage().startsWith("tlsProtocols:"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new TestServer(TestConfig.loopback().with("tlsMode", "implicit")));
        assertTrue(e.getMessage().startsWith("tlsMode:"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new TestServer(TestConfig.loopback().with("tlsMode", "starttls")
                        .with("tlsKeystorePath", dir.resolve("missing.p12").toString())));
        assertTrue(e.getMessage().startsWith("tlsKeystorePath:"), e.getMessage());
    }

    @Test
    void startTlsUnavailableWithoutKeys() throws Exception {
        try (TestServer plain = TestServer.start(); SmtpTestClient c = plain.greeted()) {
            c.send("STARTTLS");
            c.expect(454, "4.7.0");
        }
    }

    private static String plain(String user, String password) {
        return b64("\0" + user + "\0" + password);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
