/** Remote delivery of a batch of recipients over one route, bounce notifications and classification. */
@Export
@Version("1.0.0")
package dev.sluice.api.delivery;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
