/** Traffic shaping: outbound per-path budgets and backoff, inbound per-client limits. */
@Export
@Version("1.2.0")
package dev.sluice.api.ratelimit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
