/**
 * The durable message queue (spool) and its administration: what the SMTP listener writes into,
 * what the scheduler reads from, what the console and shell inspect and act on.
 */
@Export
@Version("1.2.0")
package dev.sluice.api.queue;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
