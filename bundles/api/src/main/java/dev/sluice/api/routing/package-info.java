/** Next hops for a recipient domain, or the permanent or temporary reason there are none. */
@Export
@Version("1.0.0")
package dev.sluice.api.routing;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
