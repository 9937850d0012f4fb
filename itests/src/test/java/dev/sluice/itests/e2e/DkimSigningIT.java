package dev.sluice.itests.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * DKIM signing in the running distribution: an RSA and an Ed25519 key configured through deploy/, a message sent
 * to the listener arrives at a test receiver signed twice, and dkimpy (python3-dkim) verifies both signatures.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class DkimSigningIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String VERIFIER = System.getProperty("sluice.dkim.verifier",
            "../bundles/filter-dkim/src/test/resources/dkim_verify.py");
    private static final KeyPair RSA = generate("RSA");
    private static final KeyPair ED25519 = generate("Ed25519");

    private static TestSmtpServer receiver;
    private static SluiceDistribution sluice;
    private static int smtpPort;

    @BeforeClass
    public static void startSluiceWithTwoKeys() throws Exception {
        receiver = new TestSmtpServer(new TestSmtpServer.Script());
        sluice = SluiceDistribution.unpack("dkim");
        smtpPort = sluice.listenOnFreeSmtpPort(Map.of());
        sluice.route("receiver", "example.test", "none", "127.0.0.1:" + receiver.port());
        Path keys = Files.createDirectories(sluice.home().resolve("conf/dkim"));
        writeKey(keys.resolve("rsa.pem"), RSA);
        writeKey(keys.resolve("ed.pem"), ED25519);
        sluice.configure("dev.sluice.filter.dkim-rsa.cfg", Map.of("domain", "sender.test", "selector", "rsa",
                "algorithm", "rsa-sha256", "keyFile", "conf/dkim/rsa.pem"));
        sluice.configure("dev.sluice.filter.dkim-ed.cfg", Map.of("domain", "sender.test", "selector", "ed",
                "algorithm", "ed25519-sha256", "keyFile", "conf/dkim/ed.pem", "canonicalization", "simple/simple"));
        sluice.start().awaitAllBundlesActive(Duration.ofSeconds(90));
        assertTrue("the static route and both signers never became active", SluiceDistribution.await(WAIT, () -> {
            String components = components();
            return components.matches("(?s).*\"name\":\"dev.sluice.routing.dns.StaticRoute\",\"state\":\"active\".*")
                    && components.split("\"name\":\"dev.sluice.filter.dkim.DkimSigningFilter\",\"state\":\"active\"",
                    -1).length == 3;
        }));
    }

    @AfterClass
    public static void stop() throws Exception {
        try {
            if (sluice != null) {
                sluice.close();
            }
        } finally {
            if (receiver != null) {
                receiver.close();
            }
        }
    }

    @Test
    public void a_aMessageFromTheSigningDomainArrivesWithTwoSignaturesThatVerify() throws Exception {
        String message = "From: \"Sender News\" <news@sender.test>\r\nTo: bob@example.test\r\n"
                + "Subject: Weekly digest,\r\n\tfolded  over two lines\r\nDate: Mon, 2 Jun 2025 10:00:00 +0000\r\n"
                + "Message-ID: <dkim-it-1@sender.test>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
                + "List-Unsubscribe: <https://sender.test/u/1>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
                + "\r\nGr\u00fc\u00dfe \t \r\n.a line that starts with a dot\r\n\r\n\r\n";
        ReceivedMessage arrived = sendAndReceive("news@sender.test", message, 1);
        String text = arrived.text();
        assertTrue(text, text.startsWith("DKIM-Signature: "));
        assertTrue("Sluice's Received stays below the signatures and is not signed",
                text.indexOf("\r\nReceived: ") > text.lastIndexOf("DKIM-Signature: "));
        assertFalse(text, text.substring(0, text.indexOf("\r\nReceived: ")).toLowerCase().contains("received"));
        assertEquals("PASS 2", verify(arrived.content()));
    }

    @Test
    public void b_theLogShowsTheDnsRecordsToPublish() throws Exception {
        String log = sluice.log();
        assertTrue(log, log.contains("Publish: ed._domainkey.sender.test. IN TXT ( \"" + record(ED25519) + "\" )"));
        String rsaRecord = record(RSA);
        assertTrue(log, log.contains("Publish: rsa._domainkey.sender.test. IN TXT ( \"" + rsaRecord.substring(0, 255)
                + "\" \"" + rsaRecord.substring(255) + "\" )"));
    }

    @Test
    public void c_mailOfOtherDomainsIsNotSigned() throws Exception {
        ReceivedMessage arrived = sendAndReceive("someone@other.test",
                "From: someone@other.test\r\nTo: bob@example.test\r\nSubject: not ours\r\n\r\nHello\r\n", 2);
        assertNull(arrived.text(), arrived.header("DKIM-Signature"));
    }

    private static ReceivedMessage sendAndReceive(String from, String message, int count) throws Exception {
        try (SmtpClient smtp = SmtpClient.connectWhenListening(smtpPort, WAIT)) {
            String reply = smtp.send(from, List.of("bob@example.test"), message);
            assertTrue(reply, reply.startsWith("250"));
        }
        assertTrue("the message never reached the receiver; log: " + sluice.log(),
                SluiceDistribution.await(WAIT, () -> receiver.received().size() >= count));
        return receiver.received().get(count - 1);
    }

    /** Runs dkimpy on the message as received; returns "PASS n" or the failure line. */
    private static String verify(byte[] content) throws Exception {
        Path dir = Files.createTempDirectory(sluice.home(), "dkim-verify");
        Path message = Files.write(dir.resolve("received.eml"), content);
        Path records = Files.writeString(dir.resolve("records.txt"), "rsa._domainkey.sender.test. " + record(RSA)
                + "\ned._domainkey.sender.test. " + record(ED25519) + "\n");
        Process p = new ProcessBuilder("/usr/bin/python3", Path.of(VERIFIER).toAbsolutePath().toString(),
                records.toString(), message.toString()).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue("dkimpy did not finish", p.waitFor(60, TimeUnit.SECONDS));
            return output.replace(" " + message, "");
        } finally {
            p.destroyForcibly();
        }
    }


    private static String components() {
        try {
            return sluice.getAsAdmin("/system/console/components.json").body();
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** The TXT record from the JDK's public key, independent of the bundle's derivation. */
    private static String record(KeyPair pair) {
        byte[] spki = pair.getPublic().getEncoded();
        boolean rsa = pair.getPublic().getAlgorithm().equals("RSA");
        byte[] p = rsa ? spki : Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        return "v=DKIM1; k=" + (rsa ? "rsa" : "ed25519") + "; p=" + Base64.getEncoder().encodeToString(p);
    }

    private static void writeKey(Path file, KeyPair pair) throws Exception {
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private static KeyPair generate(String algorithm) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("RSA")) {
                g.initialize(2048);
            }
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
