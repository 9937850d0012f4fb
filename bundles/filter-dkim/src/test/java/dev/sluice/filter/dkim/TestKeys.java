package dev.sluice.filter.dkim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;

/** Key pairs made by the JDK, written as an administrator would store them. */
final class TestKeys {

    private TestKeys() {
    }

    static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    /** PKCS#8 PEM, as {@code openssl genpkey} writes it. */
    static String pkcs8Pem(KeyPair pair) {
        return pem("PRIVATE KEY", pair.getPrivate().getEncoded());
    }

    /** Written readable by the owner only, as the README asks. */
    static Path write(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** The p= of the TXT record, computed from the public half (never from the code under test). */
    static String dnsRecord(KeyPair pair) {
        byte[] spki = pair.getPublic().getEncoded();
        boolean rsa = pair.getPublic().getAlgorithm().equals("RSA");
        byte[] p = rsa ? spki : Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        return "v=DKIM1; k=" + (rsa ? "rsa" : "ed25519") + "; p=" + Base64.getEncoder().encodeToString(p);
    }
}
