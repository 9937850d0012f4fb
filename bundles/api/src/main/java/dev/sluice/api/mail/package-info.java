/**
 * Value types of a mail transaction: addresses, the envelope with its DSN parameters, replies and
 * streamed message content. All are immutable and validate their input on construction.
 */
@Export
@Version("1.0.0")
package dev.sluice.api.mail;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
