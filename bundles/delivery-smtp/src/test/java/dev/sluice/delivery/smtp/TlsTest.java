package dev.sluice.delivery.smtp;

import static dev.sluice.delivery.smtp.Fixtures.await;
import static dev.sluice.delivery.smtp.Fixtures.config;
import static dev.sluice.delivery.smtp.Fixtures.content;
import static dev.sluice.delivery.smtp.Fixtures.hop;
import static dev.sluice.delivery.smtp.Fixtures.recipients;
import static dev.sluice.delivery.smtp.Fixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.delivery.DeliveryReport;
import dev.sluice.api.delivery.Outcome;
import dev.sluice.api.delivery.RecipientOutcome;
import dev.sluice.api.routing.Credentials;
import dev.sluice.api.routing.NextHop;
import dev.sluice.api.routing.TlsPolicy;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STARTTLS per route policy against a server with a self-signed certificate, and AUTH to a smarthost. */
class TlsTest {
    private static SSLContext serverContext;
    private static TrustManager[] trustingTheTestCertificate;

    private FakeShaper shaper;
    private SmtpDeliveryAgent agent;
    private FakeMx mx;

    @BeforeAll
    static void certificate(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("mx.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "mx", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=mx.test", "-ext", "SAN=dns:mx.test", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS), "keytool finished");
        assertEquals(0, keytool.exitValue(), output);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        trustingTheTestCertificate = tmf.getTrustManagers();
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
    }

    @BeforeEach
    void setUp() throws Exception {
        shaper = new FakeShaper();
        agent = new SmtpDeliveryAgent(shaper, config());
        mx = new FakeMx();
        mx.tls = serverContext;
    }

    @AfterEach
    void tearDown() throws Exception {
        agent.deactivate();
        mx.close();
    }

    private DeliveryReport deliver(TlsPolicy policy, Credentials credentials) throws Exception {
        return await(agent.deliver(request(recipients("a@example.test"), content("secret\r\n"),
                hop(mx.port(), policy, credentials))), 15);
    }

    @Test
    void opportunisticAcceptsASelfSignedCertificate() throws Exception {
        DeliveryReport report = deliver(TlsPolicy.OPPORTUNISTIC, null);

        assertEquals(Outcome.DELIVERED, report.outcomes().get(0).outcome(), report.toString());
        assertTrue(report.tlsProtocol().startsWith("TLSv1."), report.tlsProtocol());
        assertTrue(mx.secured);
        int starttls = mx.commands.indexOf("STARTTLS");
        assertTrue(starttls > 0 && mx.commands.get(starttls + 1).startsWith("EHLO"), mx.commands.toString());
    }

    @Test
    void opportunisticWithoutStarttlsSendsInClearText() throws Exception {
        mx.tls = null;
        DeliveryReport report = deliver(TlsPolicy.OPPORTUNISTIC, null);

        assertEquals(Outcome.DELIVERED, report.outcomes().get(0).outcome());
        assertNull(report.tlsProtocol());
    }

    @Test
    void requiredAcceptsAnyCertificate() throws Exception {
        DeliveryReport report = deliver(TlsPolicy.REQUIRED, null);
        assertEquals(Outcome.DELIVERED, report.outcomes().get(0).outcome());
        assertTrue(report.tlsProtocol() != null);
    }

    @Test
    void verifyRejectsASelfSignedCertificate() throws Exception {
        RecipientOutcome o = deliver(TlsPolicy.VERIFY, null).outcomes().get(0);

        assertEquals(Outcome.DEFERRED, o.outcome());
        assertEquals("4.7.5", o.reply().enhancedStatus(), o.reply().toString());
        assertTrue(mx.commands.stream().noneMatch(c -> c.startsWith("MAIL")));
        assertTrue(mx.messages.isEmpty());
    }

    @Test
    void verifyChecksTheChainAndTheRouteHostName() throws Exception {
        agent.deactivate();
        agent = new SmtpDeliveryAgent(shaper, config(), TlsUpgrade.Contexts.create(trustingTheTestCertificate));
        DeliveryReport trusted = deliver(TlsPolicy.VERIFY, null);
        assertEquals(Outcome.DELIVERED, trusted.outcomes().get(0).outcome(), trusted.toString());
        assertTrue(trusted.tlsProtocol() != null);

        NextHop otherName = new NextHop("mx.other.test", Fixtures.LOOPBACK, mx.port(), 0, TlsPolicy.VERIFY, null);
        RecipientOutcome wrongName = await(agent.deliver(request(recipients("a@example.test"),
                content("x\r\n"), otherName)), 15).outcomes().get(0);
        assertEquals(Outcome.DEFERRED, wrongName.outcome());
        assertEquals("4.7.5", wrongName.reply().enhancedStatus(), wrongName.reply().toString());
        assertEquals(1, mx.messages.size());
    }

    @Test
    void requiredDefersWhenStarttlsIsNotOffered() throws Exception {
        mx.tls = null;
        RecipientOutcome o = deliver(TlsPolicy.REQUIRED, null).outcomes().get(0);

        assertEquals(Outcome.DEFERRED, o.outcome());
        assertEquals("4.7.4", o.reply().enhancedStatus());
        assertTrue(mx.commands.stream().noneMatch(c -> c.startsWith("MAIL")));
    }

    @Test
    void noneNeverStartsTls() throws Exception {
        DeliveryReport report = deliver(TlsPolicy.NONE, null);
        assertEquals(Outcome.DELIVERED, report.outcomes().get(0).outcome());
        assertFalse(mx.commands.contains("STARTTLS"));
    }

    @Test
    void authPlainToASmarthostOverTls() throws Exception {
        mx.authUser = "relay";
        mx.authPassword = "s3cret";
        DeliveryReport ok = deliver(TlsPolicy.REQUIRED, new Credentials("relay", "s3cret"));
        assertEquals(Outcome.DELIVERED, ok.outcomes().get(0).outcome(), ok.toString());
        assertTrue(mx.commands.stream().anyMatch(c -> c.startsWith("AUTH PLAIN ")));

        mx.authPassword = "changed";
        // Other credentials make another pool key, so this is a new session with a new login.
        RecipientOutcome refused = await(agent.deliver(request(recipients("b@example.test"), content("x\r\n"),
                hop(mx.port(), TlsPolicy.REQUIRED, new Credentials("relay", "wrong")))), 15).outcomes().get(0);
        assertEquals(Outcome.DEFERRED, refused.outcome(), "a refused login is not the recipient's fault");
        assertEquals("4.7.0", refused.reply().enhancedStatus());
    }

    @Test
    void authLoginWhenPlainIsNotOffered() throws Exception {
        mx.authUser = "relay";
        mx.authPassword = "s3cret";
        mx.authMechanisms = "LOGIN";
        DeliveryReport ok = deliver(TlsPolicy.OPPORTUNISTIC, new Credentials("relay", "s3cret"));

        assertEquals(Outcome.DELIVERED, ok.outcomes().get(0).outcome(), ok.toString());
        assertTrue(mx.commands.contains("AUTH LOGIN"), mx.commands.toString());
    }

    @Test
    void credentialsAreNotSentInClearText() throws Exception {
        mx.authUser = "relay";
        mx.authPassword = "s3cret";
        RecipientOutcome o = deliver(TlsPolicy.NONE, new Credentials("relay", "s3cret")).outcomes().get(0);

        assertEquals(Outcome.DEFERRED, o.outcome());
        assertEquals("4.7.0", o.reply().enhancedStatus());
        assertTrue(mx.commands.stream().noneMatch(c -> c.startsWith("AUTH")));
    }
}
