package dev.sluice.filter.dkim;

import dev.sluice.api.config.ConfigCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds a {@link Signer} from a configuration; every problem names the key, the configuration key and the file. */
final class SignerSetup {

    static final long MAX_EXPIRE_SECONDS = 365L * 24 * 3600;

    private static final Logger LOG = LoggerFactory.getLogger(SignerSetup.class);
    private static final Pattern SELECTOR = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    private static final Pattern FIELD_NAME = Pattern.compile("[\\x21-\\x39\\x3b-\\x7e]+");
    private static final long MAX_KEY_FILE_BYTES = 64 * 1024;

    private SignerSetup() {
    }

    /** "domain/selector", the key's name in every message. */
    static String label(DkimConfig c) {
        return c.domain().strip() + "/" + c.selector().strip();
    }

    /** @throws IllegalArgumentException "DKIM key example.com/s1: keyFile /etc/x.pem: ..." */
    static Signer create(DkimConfig c, Path home, Clock clock) {
        String label = label(c);
        try {
            String selector = c.selector().strip().toLowerCase(Locale.ROOT);
            if (!SELECTOR.matcher(selector).matches()) {
                throw new IllegalArgumentException("selector '" + c.selector() + "' must be DNS labels "
                        + "(letters, digits, hyphens, dots)");
            }
            String[] canon = c.canonicalization().strip().split("/", -1);
            if (canon.length != 2) {
                throw new IllegalArgumentException("canonicalization '" + c.canonicalization()
                        + "' must be header/body, e.g. relaxed/relaxed");
            }
            Signer.Settings settings = new Signer.Settings(SenderDomains.normalise(c.domain()), selector,
                    Canonicalization.of(canon[0]), Canonicalization.of(canon[1]), headers(c.headers(), "headers"),
                    lowerCase(headers(c.oversignHeaders(), "oversignHeaders")), c.expireSeconds());
            if (settings.headers().stream().noneMatch("From"::equalsIgnoreCase)) {
                throw new IllegalArgumentException("headers must include From (RFC 6376 §5.4)");
            }
            if (!settings.headers().stream().map(h -> h.toLowerCase(Locale.ROOT)).toList()
                    .containsAll(settings.oversign())) {
                throw new IllegalArgumentException("oversignHeaders must be listed in headers too");
            }
            ConfigCheck.between("expireSeconds", c.expireSeconds(), 0, MAX_EXPIRE_SECONDS);
            SigningKey key = key(c, home);
            if (key.algorithm() == SigningKey.Algorithm.RSA_SHA256 && key.bits() < SigningKey.RECOMMENDED_RSA_BITS) {
                LOG.warn("DKIM key {}: RSA key of {} bits; {} bits are recommended (RFC 8301)", label, key.bits(),
                        SigningKey.RECOMMENDED_RSA_BITS);
            }
            return new Signer(settings, key, clock);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DKIM key " + label + ": " + e.getMessage(), e);
        }
    }

    private static SigningKey key(DkimConfig c, Path home) {
        SigningKey.Algorithm algorithm = SigningKey.Algorithm.of(c.algorithm().strip());
        boolean inline = !c._privateKey().isBlank();
        if (inline == !c.keyFile().isBlank()) {
            throw new IllegalArgumentException("set exactly one of keyFile and .privateKey");
        }
        if (inline) {
            try {
                return SigningKey.of(algorithm, PemKey.pkcs8(c._privateKey()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(".privateKey: " + e.getMessage(), e);
            }
        }
        Path file;
        try {
            file = home.resolve(c.keyFile().strip()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("keyFile '" + c.keyFile() + "' is not a valid path", e);
        }
        try {
            return SigningKey.of(algorithm, PemKey.pkcs8(read(file)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("keyFile " + file + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            if (Files.size(file) > MAX_KEY_FILE_BYTES) {
                throw new IllegalArgumentException("larger than " + MAX_KEY_FILE_BYTES + " bytes, not a key file");
            }
            warnIfOthersCanRead(file);
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file", e);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("not readable by the Sluice user", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot be read: " + e, e);
        }
    }

    private static void warnIfOthersCanRead(Path file) throws IOException {
        try {
            if (Files.getPosixFilePermissions(file).contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("DKIM key file {} is readable by every user of this host; chmod 600 it", file);
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
    }

    private static List<String> headers(String[] names, String key) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> out = new ArrayList<>();
        for (String n : names) {
            String name = n.strip();
            if (name.isEmpty()) {
                continue;
            }
            if (!FIELD_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(key + ": '" + n + "' is not a header field name");
            }
            if (name.equalsIgnoreCase(Signer.FIELD)) {
                throw new IllegalArgumentException(key + ": DKIM-Signature must not be listed");
            }
            if (seen.add(name.toLowerCase(Locale.ROOT))) {
                out.add(name);
            }
        }
        return List.copyOf(out);
    }

    private static Set<String> lowerCase(List<String> names) {
        Set<String> out = new LinkedHashSet<>();
        names.forEach(n -> out.add(n.toLowerCase(Locale.ROOT)));
        return Set.copyOf(out);
    }
}
