package dev.sluice.api.smtp;

import org.osgi.annotation.versioning.ProviderType;

/** One running SMTP listener, registered as a service for as long as it is bound. */
@ProviderType
public interface SmtpListenerStatus {

    /** The listener's configured name (e.g. {@code default}). */
    String name();

    /** Client connections open now. */
    int openConnections();
}
