package dev.sluice.delivery.smtp;

import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.ssl.SslFilter;

/** One STARTTLS handshake: completes with the negotiated protocol, or fails with the session's failure. */
final class TlsUpgrade {
    final CompletableFuture<String> result = new CompletableFuture<>();

    void secured(SSLSession ssl) {
        result.complete(ssl.getProtocol());
    }

    void failed(SmtpFailure failure) {
        result.completeExceptionally(failure);
    }

    /**
     * A client filter that names the MX host (not the address) to the engine, so that SNI and, for VERIFY,
     * the RFC 6125 host name check use the name the route gave.
     */
    static SslFilter filter(SSLContext context, String host, int port, boolean verifyHost) {
        SslFilter filter = new SslFilter(context) {
            @Override
            protected SSLEngine createEngine(IoSession session, InetSocketAddress addr) {
                return super.createEngine(session, InetSocketAddress.createUnresolved(host, port));
            }
        };
        if (verifyHost) {
            filter.setEndpointIdentificationAlgorithm("HTTPS");
        }
        return filter;
    }

    /** The two contexts a client needs: PKIX with the JDK trust store, and one that accepts any chain. */
    record Contexts(SSLContext verifying, SSLContext anyCertificate) {
        static Contexts create() {
            return create(null);
        }

        /** @param trust the trust managers for VERIFY; null for the JDK's default trust store */
        static Contexts create(TrustManager[] trust) {
            try {
                SSLContext verifying = SSLContext.getInstance("TLS");
                verifying.init(null, trust, null);
                SSLContext any = SSLContext.getInstance("TLS");
                // Opportunistic and required TLS protect against passive listening only (RFC 7435); an unknown
                // or self-signed certificate must not stop delivery.
                any.init(null, new TrustManager[] {new AnyCertificate()}, null);
                return new Contexts(verifying, any);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot initialise TLS: " + e, e);
            }
        }
    }

    private static final class AnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
