/** A DNS responder for tests on loopback, serving the test zones of ../shared/bench/README.md. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.sluice.testing.dns;
