package dev.sluice.smtp.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Builds the server SSLContext from a keystore or from PEM files named in the configuration. */
final class TlsContexts {

    private TlsContexts() {
    }

    /** Null when no key material is configured. */
    static SSLContext create(ListenerConfig c, String home) {
        try {
            KeyStore store;
            char[] password = c.tlsKeystorePassword().toCharArray();
            if (!c.tlsKeystorePath().isBlank()) {
                store = KeyStore.getInstance(c.tlsKeystoreType());
                try (InputStream in = Files.newInputStream(resolve(home, c.tlsKeystorePath()))) {
                    store.load(in, password);
                }
            } else if (!c.tlsCertificatePath().isBlank() || !c.tlsPrivateKeyPath().isBlank()) {
                if (c.tlsCertificatePath().isBlank() || c.tlsPrivateKeyPath().isBlank()) {
                    throw new IllegalArgumentException("tlsCertificatePath and tlsPrivateKeyPath must be set together");
                }
                store = pemStore(resolve(home, c.tlsCertificatePath()), resolve(home, c.tlsPrivateKeyPath()));
                password = new char[0];
            } else {
                return null;
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            String key = c.tlsKeystorePath().isBlank() ? "tlsCertificatePath/tlsPrivateKeyPath" : "tlsKeystorePath";
            throw new IllegalArgumentException(key + ": cannot load TLS key material: " + e, e);
        }
    }

    private static KeyStore pemStore(Path certificatePath, Path keyPath) throws IOException, GeneralSecurityException {
        List<? extends Certificate> chain;
        try (InputStream in = Files.newInputStream(certificatePath)) {
            chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + certificatePath);
        }
        byte[] der = pemBody(Files.readString(keyPath, StandardCharsets.US_ASCII), "PRIVATE KEY");
        PrivateKey key = null;
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                break;
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        if (key == null) {
            throw new GeneralSecurityException("unsupported private key in " + keyPath + " (need unencrypted PKCS#8)");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key, new char[0], chain.toArray(new Certificate[0]));
        return store;
    }

    private static byte[] pemBody(String pem, String label) throws GeneralSecurityException {
        String begin = "-----BEGIN " + label + "-----";
        int start = pem.indexOf(begin);
        int end = pem.indexOf("-----END " + label + "-----");
        if (start < 0 || end < start) {
            throw new GeneralSecurityException("no '" + begin + "' block (an unencrypted PKCS#8 key is needed)");
        }
        return Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), end));
    }

    static Path resolve(String home, String path) {
        Path p = Path.of(path.strip());
        return p.isAbsolute() || home == null ? p : Path.of(home).resolve(p);
    }
}
