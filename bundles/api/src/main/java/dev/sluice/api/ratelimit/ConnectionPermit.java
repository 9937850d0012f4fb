package dev.sluice.api.ratelimit;

/**
 * A slot for one open connection on a path. Closing it frees the slot; closing twice is harmless.
 * The delivery side must close it when the connection ends, whatever the reason.
 */
@org.osgi.annotation.versioning.ProviderType
public interface ConnectionPermit extends AutoCloseable {

    PathKey path();

    @Override
    void close();
}
