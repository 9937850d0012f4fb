/**
 * Checks of configuration values for components and filter plugins: a bad value fails activation with a message
 * that starts with the key and says what is allowed, the same wording in every bundle.
 */
@Export
@Version("1.0.0")
package dev.sluice.api.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
