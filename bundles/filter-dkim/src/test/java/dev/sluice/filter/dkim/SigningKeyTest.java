package dev.sluice.filter.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.Signature;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SigningKeyTest {

    static final KeyPair RSA = TestKeys.rsa(2048);
    static final KeyPair ED25519 = TestKeys.ed25519();

    @Test
    void rsaPkcs8PemGivesTheDnsRecordOfItsPublicKey() {
        SigningKey key = SigningKey.of(SigningKey.Algorithm.RSA_SHA256, PemKey.pkcs8(TestKeys.pkcs8Pem(RSA)));
        assertEquals(TestKeys.dnsRecord(RSA), key.dnsRecord());
        assertEquals(2048, key.bits());
    }

    @Test
    void ed25519Pkcs8PemGivesTheRawPublicKeyAsP() {
        SigningKey key = SigningKey.of(SigningKey.Algorithm.ED25519_SHA256, PemKey.pkcs8(TestKeys.pkcs8Pem(ED25519)));
        assertEquals(TestKeys.dnsRecord(ED25519), key.dnsRecord());
        assertEquals(32 + "v=DKIM1; k=ed25519; p=".length() + 12, key.dnsRecord().length());
    }

    @Test
    void rsaPkcs1PemAsWrittenByOpensslGenrsaIsAccepted() {
        // PKCS#8 PrivateKeyInfo ends with an OCTET STRING holding the PKCS#1 key: take it out
        byte[] pkcs8 = RSA.getPrivate().getEncoded();
        byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
        assertEquals(0x30, pkcs1[0]);
        assertEquals(HexFormat.of().formatHex(pkcs8), HexFormat.of().formatHex(PemKey.wrapRsa(pkcs1)));
        SigningKey key = SigningKey.of(SigningKey.Algorithm.RSA_SHA256,
                PemKey.pkcs8(TestKeys.pem("RSA PRIVATE KEY", pkcs1)));
        assertEquals(TestKeys.dnsRecord(RSA), key.dnsRecord());
    }

    @Test
    void ed25519SignsTheSha256OfTheDataAsRfc8463Says() throws Exception {
        SigningKey key = SigningKey.of(SigningKey.Algorithm.ED25519_SHA256, ED25519.getPrivate().getEncoded());
        byte[] data = "header data".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(ED25519.getPublic());
        v.update(java.security.MessageDigest.getInstance("SHA-256").digest(data));
        assertTrue(v.verify(key.sign(data)));
    }

    @Test
    void aKeyOfTheOtherAlgorithmIsNamedAsSuch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SigningKey.of(SigningKey.Algorithm.RSA_SHA256, ED25519.getPrivate().getEncoded()));
        assertEquals("it is an Ed25519 key, but algorithm is rsa-sha256 (set algorithm=ed25519-sha256 or use an "
                + "RSA key)", e.getMessage());
    }

    @Test
    void rsaKeysBelow1024BitsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SigningKey.of(SigningKey.Algorithm.RSA_SHA256, TestKeys.rsa(768).getPrivate().getEncoded()));
        assertTrue(e.getMessage().contains("768 bits; DKIM needs at least 1024"), e.getMessage());
    }

    @Test
    void unusableTextSaysWhatItIs() {
        assertTrue(message("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----")
                .startsWith("the key is encrypted"));
        assertTrue(message("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nAAAA\n-----END RSA PRIVATE KEY-----")
                .startsWith("the key is encrypted"));
        assertTrue(message("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----")
                .startsWith("'EC PRIVATE KEY' keys are not usable for DKIM"));
        assertEquals("no private key in the PEM text (expected -----BEGIN PRIVATE KEY-----)",
                message("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"));
        assertEquals("the key text is empty", message("   "));
        IllegalArgumentException garbage = assertThrows(IllegalArgumentException.class,
                () -> SigningKey.of(SigningKey.Algorithm.RSA_SHA256, PemKey.pkcs8("c2x1aWNlIGlzIG5vdCBhIGtleQ==")));
        assertTrue(garbage.getMessage().startsWith("not a PKCS#8 RSA private key"), garbage.getMessage());
    }

    private static String message(String text) {
        return assertThrows(IllegalArgumentException.class, () -> PemKey.pkcs8(text)).getMessage();
    }
}
