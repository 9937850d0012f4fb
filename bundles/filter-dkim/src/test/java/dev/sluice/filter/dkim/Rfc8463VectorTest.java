package dev.sluice.filter.dkim;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 8463 Appendix A: its Ed25519 key (RFC 8032 §7.1 test 1) and its signed example message. Our
 * canonicalization must reproduce the published body hash and let the published signature verify.
 */
class Rfc8463VectorTest {

    static final String SEED = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";
    static final String PUBLIC = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
    static final String SIGNED = String.join("\r\n",
            "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;",
            " d=football.example.com; i=@football.example.com;",
            " q=dns/txt; s=brisbane; t=1528637909; h=from : to :",
            " subject : date : message-id : from : subject : date;",
            " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;",
            " b=/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus",
            " Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==",
            "From: Joe SixPack <joe@football.example.com>",
            "To: Suzie Q <suzie@shopping.example.net>",
            "Subject: Is dinner ready?",
            "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)",
            "Message-ID: <20030712040037.46341.5F8J@football.example.com>",
            "",
            "Hi.",
            "",
            "We lost the game.  Are you hungry yet?",
            "",
            "Joe.",
            "");

    /** PKCS#8 for a raw Ed25519 seed (RFC 8410 §7). */
    static byte[] pkcs8(String seed) {
        return concat(HexFormat.of().parseHex("302e020100300506032b657004220420"), Base64.getDecoder().decode(seed));
    }

    @Test
    void derivesThePublishedPublicKeyFromThePrivateKey() {
        SigningKey key = SigningKey.of(SigningKey.Algorithm.ED25519_SHA256, pkcs8(SEED));
        assertEquals("v=DKIM1; k=ed25519; p=" + PUBLIC, key.dnsRecord());
    }

    @Test
    void reproducesThePublishedBodyHash() throws Exception {
        ByteArrayInputStream in = new ByteArrayInputStream(SIGNED.getBytes(ISO_8859_1));
        RawHeader.read(in);
        byte[] bh = Signer.bodyHash(in, Canonicalization.RELAXED);
        assertEquals("2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=", Base64.getEncoder().encodeToString(bh));
    }

    @Test
    void thePublishedSignatureVerifiesOverOurCanonicalHeader() throws Exception {
        List<String> fields = RawHeader.read(new ByteArrayInputStream(SIGNED.getBytes(ISO_8859_1))).fields();
        byte[] data = headerData(fields, List.of("from", "to", "subject", "date", "message-id", "from", "subject",
                "date"));
        String sig = fields.get(0);
        byte[] b = Base64.getMimeDecoder().decode(sig.substring(sig.indexOf(" b=") + 3));
        assertTrue(verify(data, b));
        data[data.length - 3] ^= 1; // and a changed byte fails, so the check above can fail
        assertFalse(verify(data, b));
    }

    private static boolean verify(byte[] data, byte[] b) throws Exception {
        PublicKey pub = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                concat(HexFormat.of().parseHex("302a300506032b6570032100"), Base64.getDecoder().decode(PUBLIC))));
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(pub);
        v.update(MessageDigest.getInstance("SHA-256").digest(data));
        return v.verify(b);
    }

    /** The verifier's side of RFC 6376 §3.7: signed fields bottom-up, then the signature with b= emptied. */
    private static byte[] headerData(List<String> fields, List<String> h) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        java.util.Map<String, Integer> used = new java.util.HashMap<>();
        for (String name : h) {
            int skip = used.merge(name, 1, Integer::sum) - 1;
            for (int i = fields.size() - 1; i >= 0; i--) {
                if (name.equalsIgnoreCase(RawHeader.name(fields.get(i))) && skip-- == 0) {
                    data.writeBytes(Canonicalization.RELAXED.header(fields.get(i)).getBytes(ISO_8859_1));
                    break;
                }
            }
        }
        String sig = fields.get(0);
        String emptied = sig.substring(0, sig.indexOf(" b=") + 3) + "\r\n";
        String canonical = Canonicalization.RELAXED.header(emptied);
        data.writeBytes(canonical.substring(0, canonical.length() - 2).getBytes(ISO_8859_1));
        return data.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
