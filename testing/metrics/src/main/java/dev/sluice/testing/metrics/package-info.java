/** A metrics service for unit tests that keeps what was recorded. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.sluice.testing.metrics;
