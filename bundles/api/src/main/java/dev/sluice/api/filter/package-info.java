/**
 * The filter plugin contract. A plugin registers a service of one or more of the hook interfaces
 * ({@link dev.sluice.api.filter.ConnectFilter}, {@link dev.sluice.api.filter.HeloFilter},
 * {@link dev.sluice.api.filter.MailFromFilter}, {@link dev.sluice.api.filter.RcptFilter},
 * {@link dev.sluice.api.filter.DataFilter}, {@link dev.sluice.api.filter.PreDeliveryFilter}).
 * Filters run in ascending order of {@code service.ranking} reversed (highest first, as OSGi orders
 * services); the first verdict other than {@link dev.sluice.api.filter.Verdict.Continue} ends the
 * phase. Each hook returns a {@link java.util.concurrent.CompletionStage}, so a filter may call a
 * remote service without blocking the listener; the core enforces the timeout named by the service
 * property {@link dev.sluice.api.filter.FilterProperties#TIMEOUT_MILLIS} and applies
 * {@link dev.sluice.api.filter.FilterProperties#FAILURE_MODE} when a filter throws, fails or times out.
 */
@Export
@Version("1.0.0")
package dev.sluice.api.filter;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
