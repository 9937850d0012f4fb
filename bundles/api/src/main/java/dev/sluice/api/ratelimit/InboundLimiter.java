package dev.sluice.api.ratelimit;

import dev.sluice.api.mail.ClientIdentity;
import dev.sluice.api.mail.Reply;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Per-client limits for the SMTP listener. Each check returns the reply to refuse with, or empty to go on.
 * Called on the listener's threads; non-blocking.
 */
@org.osgi.annotation.versioning.ProviderType
public interface InboundLimiter {

    /** At connect; a refusal is typically {@code 421 4.7.0}. Pair every admitted call with {@link #disconnected}. */
    Optional<Reply> admitConnection(InetAddress client);

    void disconnected(InetAddress client);

    /** At MAIL FROM. */
    Optional<Reply> admitMessage(ClientIdentity client);

    /** At RCPT TO. */
    Optional<Reply> admitRecipient(ClientIdentity client);

    /** Before an AUTH exchange: refuses an address locked out after too many failures. */
    Optional<Reply> admitAuthentication(InetAddress client);

    void authenticationFailed(InetAddress client);
}
