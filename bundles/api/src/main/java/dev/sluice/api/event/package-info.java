/** Delivery events: every reception, attempt and final state, for the delivery log, metrics and plugins. */
@Export
@Version("1.0.0")
package dev.sluice.api.event;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
