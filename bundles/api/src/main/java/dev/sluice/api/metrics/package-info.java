/**
 * Timings and counts that Sluice's bundles (and plugins) report, for whatever metrics service is registered (the
 * metrics bundle's writes them to {@code /metrics} in the Prometheus text format).
 *
 * <p>A producer references {@link dev.sluice.api.metrics.Metrics} optionally and dynamically, and uses
 * {@link dev.sluice.api.metrics.Metrics#NONE} while there is none, so it works the same when metrics are stopped,
 * updated or replaced. It resolves its {@link dev.sluice.api.metrics.Timer}s and
 * {@link dev.sluice.api.metrics.Counter}s once (when the service arrives), not per event: recording on a handle
 * is meant to cost a few nanoseconds and no allocation.
 */
@Export
@Version("1.0.0")
package dev.sluice.api.metrics;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
