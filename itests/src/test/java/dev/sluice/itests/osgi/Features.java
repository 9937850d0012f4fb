package dev.sluice.itests.osgi;

import static org.ops4j.pax.exam.CoreOptions.bundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.ops4j.pax.exam.Option;

/**
 * Provisions the bundles of the named features, exactly the files the features module copied into
 * {@code features/<name>/target/bundles} and the distribution ships.
 */
public final class Features {

    private Features() {
    }

    public static Option[] bundles(String... features) {
        Path root = Path.of(System.getProperty("sluice.features.dir", "../features"));
        List<Option> options = new ArrayList<>();
        for (String feature : features) {
            Path dir = root.resolve(feature).resolve("target/bundles");
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException("feature '" + feature + "' is not built: " + dir + " is missing");
            }
            try (Stream<Path> jars = Files.list(dir)) {
                jars.filter(p -> p.toString().endsWith(".jar")).sorted()
                        .forEach(jar -> options.add(bundle(jar.toUri().toString())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return options.toArray(new Option[0]);
    }
}
