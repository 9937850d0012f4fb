package dev.sluice.api.filter;

import java.util.concurrent.CompletionStage;

/**
 * A filter called at end of DATA (or the last BDAT), before the message is committed. Register it as an OSGi service; see the package documentation for ordering,
 * timeouts and failure handling.
 *
 * <p>Called on a Sluice worker thread, never on a network I/O thread; it may return an incomplete stage and
 * complete it from any thread. A thrown exception counts as a failure of the filter.
 */
@org.osgi.annotation.versioning.ConsumerType
@FunctionalInterface
public interface DataFilter {

    CompletionStage<Verdict> onData(DataRequest request);
}
