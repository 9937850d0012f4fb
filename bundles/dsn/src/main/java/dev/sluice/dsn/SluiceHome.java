package dev.sluice.dsn;

import java.nio.file.Path;
import org.osgi.framework.BundleContext;

/** Where relative configuration paths resolve: the framework property {@code sluice.home}. */
final class SluiceHome {

    static final String PROPERTY = "sluice.home";

    private SluiceHome() {
    }

    static Path of(BundleContext context) {
        String home = context == null ? null : context.getProperty(PROPERTY);
        // The start script also makes sluice.home the working directory, so "." is the right fallback.
        return Path.of(home == null || home.isBlank() ? "." : home);
    }
}
