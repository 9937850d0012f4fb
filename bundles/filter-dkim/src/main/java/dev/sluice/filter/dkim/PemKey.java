package dev.sluice.filter.dkim;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns key text (PEM, or bare base64 DER) into PKCS#8 DER, as the JDK's KeyFactory wants it. */
final class PemKey {

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    /** AlgorithmIdentifier rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
        (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private PemKey() {
    }

    /** @throws IllegalArgumentException saying what the text is instead of an unencrypted private key */
    static byte[] pkcs8(String text) {
        if (!text.contains("-----BEGIN")) {
            return base64(text, "the key text");
        }
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String label = m.group(1);
            String body = m.group(2);
            switch (label) {
                case "PRIVATE KEY":
                    return base64(body, "the PEM block");
                case "RSA PRIVATE KEY":
                    if (body.contains("ENCRYPTED")) {
                        throw encrypted();
                    }
                    return wrapRsa(base64(body, "the PEM block"));
                case "ENCRYPTED PRIVATE KEY":
                    throw encrypted();
                default:
                    if (label.endsWith("PRIVATE KEY")) {
                        throw new IllegalArgumentException("'" + label + "' keys are not usable for DKIM: "
                                + "use an RSA or Ed25519 key in PKCS#8 PEM (BEGIN PRIVATE KEY)");
                    }
            }
        }
        throw new IllegalArgumentException("no private key in the PEM text (expected -----BEGIN PRIVATE KEY-----)");
    }

    /** PKCS#1 RSAPrivateKey wrapped as PKCS#8 PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING key }. */
    static byte[] wrapRsa(byte[] pkcs1) {
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        inner.writeBytes(new byte[] {0x02, 0x01, 0x00});
        inner.writeBytes(RSA_ALGORITHM);
        inner.write(0x04);
        inner.writeBytes(length(pkcs1.length));
        inner.writeBytes(pkcs1);
        ByteArrayOutputStream outer = new ByteArrayOutputStream();
        outer.write(0x30);
        outer.writeBytes(length(inner.size()));
        outer.writeBytes(inner.toByteArray());
        return outer.toByteArray();
    }

    private static byte[] length(int n) {
        if (n < 0x80) {
            return new byte[] {(byte) n};
        } else if (n < 0x100) {
            return new byte[] {(byte) 0x81, (byte) n};
        } else if (n < 0x10000) {
            return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        }
        return new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    }

    private static byte[] base64(String text, String what) {
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not valid base64: " + e.getMessage(), e);
        }
        if (der.length == 0) {
            throw new IllegalArgumentException(what + " is empty");
        }
        return der;
    }

    private static IllegalArgumentException encrypted() {
        return new IllegalArgumentException("the key is encrypted; store it unencrypted and readable only by "
                + "Sluice (openssl pkcs8 -topk8 -nocrypt -in key.pem -out dkim.pem)");
    }
}
