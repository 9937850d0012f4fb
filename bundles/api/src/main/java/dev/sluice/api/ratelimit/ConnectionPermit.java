package dev.sluice.api.ratelimit;

/**
 * A slot for one open connection on a path. Closing it frees the slot; closing twice is harmless.
 * The delivery side must close it when the connection ends, whatever the reason.
 */
@org.osgi.annotation.versioning.ProviderType
public interface ConnectionPermit extends AutoCloseable {

    PathKey path();

    /**
     * True when another node is waiting for a slot on this path: a connection idle in a pool should then close
     * rather than keep the slot (a receiver counts idle connections too, so they hold slots while they last).
     * Asked now and then for idle connections only; it answers true at most once per check of the shared state,
     * so that one waiting node does not empty the pool.
     *
     * @since 1.1
     */
    default boolean wanted() {
        return false;
    }

    @Override
    void close();
}
