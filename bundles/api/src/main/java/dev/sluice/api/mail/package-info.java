/**
 * Value types of a mail transaction: addresses, the envelope with its DSN parameters, replies and
 * streamed message content. All are immutable and validate their input on construction. 1.1 adds
 * {@link dev.sluice.api.mail.LocalHostName}, the one default host name of every bundle, and
 * {@link dev.sluice.api.mail.MessageContent#of(byte[])}.
 */
@Export
@Version("1.1.0")
package dev.sluice.api.mail;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
