package dev.sluice.filter.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signatures made by the filter, checked by dkimpy (python3-dkim), which shares no code with it. */
class IndependentVerifierTest {

    @TempDir
    static Path dir;
    static final KeyPair RSA = TestKeys.rsa(2048);
    static final KeyPair ED25519 = TestKeys.ed25519();
    static Map<String, String> dns;

    @BeforeAll
    static void keys() throws IOException {
        TestKeys.write(dir, "rsa.pem", TestKeys.pkcs8Pem(RSA));
        TestKeys.write(dir, "ed.pem", TestKeys.pkcs8Pem(ED25519));
        dns = Map.of("rsa._domainkey.example.com.", TestKeys.dnsRecord(RSA),
                "ed._domainkey.example.com.", TestKeys.dnsRecord(ED25519));
    }

    static DkimSigningFilter filter(String selector, String canonicalization) {
        return new DkimSigningFilter(Configs.of("domain", "example.com", "selector", selector, "algorithm",
                selector.equals("rsa") ? "rsa-sha256" : "ed25519-sha256", "keyFile", selector + ".pem",
                "canonicalization", canonicalization, "expireSeconds", 3600L), dir, Clock.systemUTC());
    }

    @Test
    void everyMessageShapeVerifiesWithBothAlgorithmsAndAllCanonicalizations() throws Exception {
        Path big = Messages.large(dir.resolve("big.source"), 1_200_000);
        assertTrue(Files.size(big) > 1_000_000);
        List<Path> signed = new ArrayList<>();
        int n = 0;
        for (String selector : List.of("rsa", "ed")) {
            for (String canon : List.of("relaxed/relaxed", "simple/simple", "relaxed/simple", "simple/relaxed")) {
                DkimSigningFilter filter = filter(selector, canon);
                for (var message : Messages.small().entrySet()) {
                    String name = selector + "-" + canon.replace('/', '-') + "-" + message.getKey() + ".eml";
                    signed.add(Delivery.send(List.of(filter), "Q" + n++, Content.of(message.getValue()),
                            dir.resolve(name)));
                }
                if (canon.equals("relaxed/relaxed") || canon.equals("simple/simple")) {
                    signed.add(Delivery.send(List.of(filter), "Q" + n++, Content.of(big),
                            dir.resolve(selector + "-" + canon.replace('/', '-') + "-large.eml")));
                }
            }
        }
        Map<Path, String> results = DkimPy.verify(dir, dns, signed);
        for (Path file : signed) {
            assertTrue(results.get(file).startsWith("PASS") && results.get(file).endsWith(" 1"), results.get(file));
            String header = header(file);
            assertTrue(header.matches("(?s).*[;\\s]t=\\d+; x=\\d+;.*"), header);
            assertFalse(header.matches("(?s).*[;\\s]l=.*"), "l= must never be used: " + header);
        }
        assertEquals(8 * Messages.small().size() + 4, results.size());
    }

    @Test
    void dualSignatureWithRsaAndEd25519BothVerify() throws Exception {
        Path out = Delivery.send(List.of(filter("rsa", "relaxed/relaxed"), filter("ed", "relaxed/relaxed")), "Q1",
                Content.of(Messages.small().get("folded")), dir.resolve("dual.eml"));
        String result = DkimPy.verify(dir, dns, List.of(out)).get(out);
        assertEquals("PASS " + out + " 2", result);
    }

    @Test
    void changesInTransitBreakOnlyWhatTheySign() throws Exception {
        byte[] plain = Messages.small().get("plain");
        List<Path> pass = new ArrayList<>();
        List<Path> fail = new ArrayList<>();
        for (String selector : List.of("rsa", "ed")) {
            String text = text(Delivery.send(List.of(filter(selector, "relaxed/relaxed")), "Q7", Content.of(plain),
                    dir.resolve(selector + "-transit.eml")));
            pass.add(write(selector + "-next-hop-received.eml", "Received: from mta.example.com by mx.example.net;"
                    + " Mon, 2 Jun 2025 10:00:01 +0000\r\n" + text));
            pass.add(write(selector + "-refolded.eml", text.replace("Subject: Hello", "Subject:\r\n    Hello ")));
            fail.add(write(selector + "-subject.eml", text.replace("Subject: Hello", "Subject: Hello!")));
            fail.add(write(selector + "-second-from.eml", "From: mallory@example.org\r\n" + text));
            fail.add(write(selector + "-body.eml", text.replace("Hello Bob.", "Hello Bob!")));
            fail.add(write(selector + "-appended.eml", text + "appended line\r\n"));
            String simple = text(Delivery.send(List.of(filter(selector, "simple/simple")), "Q8", Content.of(plain),
                    dir.resolve(selector + "-transit-simple.eml")));
            fail.add(write(selector + "-simple-refolded.eml", simple.replace("Subject: Hello", "Subject:  Hello")));
        }
        Map<Path, String> results = DkimPy.verify(dir, dns, concat(pass, fail));
        pass.forEach(p -> assertTrue(results.get(p).startsWith("PASS"), results.get(p)));
        fail.forEach(p -> assertTrue(results.get(p).startsWith("FAIL"), "should not verify: " + results.get(p)));
    }

    @Test
    void aSignatureDoesNotVerifyWithAnotherKey() throws Exception {
        Path out = Delivery.send(List.of(filter("rsa", "relaxed/relaxed")), "Q9",
                Content.of(Messages.small().get("plain")), dir.resolve("other-key.eml"));
        Map<String, String> wrong = Map.of("rsa._domainkey.example.com.", TestKeys.dnsRecord(TestKeys.rsa(2048)));
        assertTrue(DkimPy.verify(dir, wrong, List.of(out)).get(out).startsWith("FAIL"));
    }

    private static String header(Path file) throws IOException {
        String text = text(file);
        return text.substring(0, text.indexOf("\r\nFrom:"));
    }

    private static String text(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.ISO_8859_1);
    }

    private static Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.ISO_8859_1);
    }

    private static List<Path> concat(List<Path> a, List<Path> b) {
        List<Path> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
