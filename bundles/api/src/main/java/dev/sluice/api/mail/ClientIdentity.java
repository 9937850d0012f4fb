package dev.sluice.api.mail;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Who handed a message to Sluice.
 *
 * @param remote the client's address and port
 * @param helo the EHLO/HELO argument, or null before the greeting
 * @param listener the name of the listener that accepted the connection
 * @param tlsProtocol e.g. {@code TLSv1.3}, or null on a clear-text session
 * @param tlsCipher the negotiated cipher suite, or null on a clear-text session
 * @param authenticatedUser the SMTP AUTH identity, or null when not authenticated
 */
public record ClientIdentity(InetSocketAddress remote, String helo, String listener,
                             String tlsProtocol, String tlsCipher, String authenticatedUser) {

    public ClientIdentity {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(listener, "listener");
    }

    /** A locally generated message (a bounce, a test injection). */
    public static ClientIdentity local(String listener) {
        return new ClientIdentity(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0),
                null, listener, null, null, null);
    }

    public boolean isTls() {
        return tlsProtocol != null;
    }

    public boolean isAuthenticated() {
        return authenticatedUser != null;
    }
}
