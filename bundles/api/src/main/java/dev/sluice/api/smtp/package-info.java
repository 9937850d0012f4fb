/** What the SMTP listeners tell the rest of Sluice (metrics, consoles) about themselves. */
@Export
@Version("1.0.0")
package dev.sluice.api.smtp;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
