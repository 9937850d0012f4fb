/** The one format of the audit log (logger {@code dev.sluice.audit}) shared by every admin front end. */
@Export
@Version("1.0.0")
package dev.sluice.api.audit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
