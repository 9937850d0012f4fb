package dev.sluice.api.metrics;

import org.osgi.annotation.versioning.ProviderType;

/** One counter series. Thread-safe; counting allocates nothing. */
@ProviderType
public interface Counter {

    /** Counts nothing. */
    Counter NONE = () -> { };

    void increment();
}
