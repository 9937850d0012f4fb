package dev.sluice.filter.dkim;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * A private key for one DKIM algorithm, with the public key derived from it for the DNS record. Loading
 * signs and verifies a probe, so a key that loads is a key that signs.
 */
final class SigningKey {

    /** The DKIM algorithms (a= tag) with their JDK names and DNS k= tag. */
    enum Algorithm {
        RSA_SHA256("rsa-sha256", "RSA", "rsa"),
        ED25519_SHA256("ed25519-sha256", "Ed25519", "ed25519");

        final String tag;
        final String jdkName;
        final String keyType;

        Algorithm(String tag, String jdkName, String keyType) {
            this.tag = tag;
            this.jdkName = jdkName;
            this.keyType = keyType;
        }

        static Algorithm of(String tag) {
            for (Algorithm a : values()) {
                if (a.tag.equals(tag)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("'" + tag + "' is neither rsa-sha256 nor ed25519-sha256");
        }
    }

    /** RFC 8301 §3.2: verifiers must not accept less, so signing with less would only produce failures. */
    static final int MIN_RSA_BITS = 1024;
    static final int RECOMMENDED_RSA_BITS = 2048;

    private final Algorithm algorithm;
    private final PrivateKey key;
    private final PublicKey publicKey;
    private final byte[] dnsPublicKey;
    private final int bits;

    private SigningKey(Algorithm algorithm, PrivateKey key, PublicKey publicKey, byte[] dnsPublicKey, int bits) {
        this.algorithm = algorithm;
        this.key = key;
        this.publicKey = publicKey;
        this.dnsPublicKey = dnsPublicKey;
        this.bits = bits;
    }

    /** @throws IllegalArgumentException saying what is wrong with the key (the caller names the key and file) */
    static SigningKey of(Algorithm algorithm, byte[] pkcs8) {
        PrivateKey key = parse(algorithm, pkcs8);
        try {
            SigningKey k = algorithm == Algorithm.RSA_SHA256 ? rsa(key) : ed25519(key);
            k.probe();
            return k;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the key does not sign: " + e.getMessage(), e);
        }
    }

    Algorithm algorithm() {
        return algorithm;
    }

    int bits() {
        return bits;
    }

    /** The b= value for the canonicalized header data (RFC 8463 §3: Ed25519 signs the SHA-256 of it). */
    byte[] sign(byte[] data) throws GeneralSecurityException {
        Signature s = Signature.getInstance(algorithm == Algorithm.RSA_SHA256 ? "SHA256withRSA" : "Ed25519");
        s.initSign(key);
        s.update(algorithm == Algorithm.RSA_SHA256 ? data : MessageDigest.getInstance("SHA-256").digest(data));
        return s.sign();
    }

    /** The TXT record text: {@code v=DKIM1; k=rsa; p=...}. RSA p= is the DER SubjectPublicKeyInfo, Ed25519 the raw key. */
    String dnsRecord() {
        return "v=DKIM1; k=" + algorithm.keyType + "; p=" + Base64.getEncoder().encodeToString(dnsPublicKey);
    }

    private void probe() throws GeneralSecurityException {
        byte[] data = "sluice dkim key probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Signature v = Signature.getInstance(algorithm == Algorithm.RSA_SHA256 ? "SHA256withRSA" : "Ed25519");
        v.initVerify(publicKey);
        v.update(algorithm == Algorithm.RSA_SHA256 ? data : MessageDigest.getInstance("SHA-256").digest(data));
        if (!v.verify(sign(data))) {
            throw new GeneralSecurityException("a probe signature does not verify with the derived public key");
        }
    }

    private static PrivateKey parse(Algorithm algorithm, byte[] pkcs8) {
        try {
            return KeyFactory.getInstance(algorithm.jdkName).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException | RuntimeException e) {
            for (Algorithm other : Algorithm.values()) {
                if (other != algorithm && parses(other, pkcs8)) {
                    throw new IllegalArgumentException("it is an " + other.jdkName + " key, but algorithm is "
                            + algorithm.tag + " (set algorithm=" + other.tag + " or use an " + algorithm.jdkName
                            + " key)");
                }
            }
            throw new IllegalArgumentException("not a PKCS#8 " + algorithm.jdkName + " private key ("
                    + e.getMessage() + ")", e);
        }
    }

    private static boolean parses(Algorithm algorithm, byte[] pkcs8) {
        try {
            KeyFactory.getInstance(algorithm.jdkName).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static SigningKey rsa(PrivateKey key) throws GeneralSecurityException {
        if (!(key instanceof RSAPrivateCrtKey crt)) {
            throw new IllegalArgumentException("the RSA key has no CRT parameters, so its public key is unknown");
        }
        int bits = crt.getModulus().bitLength();
        if (bits < MIN_RSA_BITS) {
            throw new IllegalArgumentException("the RSA key has " + bits + " bits; DKIM needs at least "
                    + MIN_RSA_BITS + " (RFC 8301), " + RECOMMENDED_RSA_BITS + " recommended");
        }
        PublicKey pub = KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
        return new SigningKey(Algorithm.RSA_SHA256, key, pub, pub.getEncoded(), bits);
    }

    /** The JDK cannot derive an Ed25519 public key directly; key generation from the same 32-byte seed does. */
    private static SigningKey ed25519(PrivateKey key) throws GeneralSecurityException {
        byte[] seed = ((EdECPrivateKey) key).getBytes()
                .orElseThrow(() -> new IllegalArgumentException("the Ed25519 key bytes are not available"));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(NamedParameterSpec.ED25519, new SeedRandom(seed));
        PublicKey pub = generator.generateKeyPair().getPublic();
        byte[] spki = pub.getEncoded();
        return new SigningKey(Algorithm.ED25519_SHA256, key, pub, Arrays.copyOfRange(spki, spki.length - 32,
                spki.length), 256);
    }

    /** Hands out the given seed as the "random" private key bytes. */
    private static final class SeedRandom extends SecureRandom {
        private final byte[] seed;

        SeedRandom(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("expected a request for " + seed.length + " bytes");
            }
            System.arraycopy(seed, 0, bytes, 0, bytes.length);
        }
    }
}
