package dev.sluice.console.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which password hash protects the console: the configured one, else the one generated on first
 * start. Generating writes the hash to {@code hashFile} and the password, once, to {@code passwordFile};
 * both are created readable by the owner only.
 */
final class CredentialStore {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialStore.class);

    private CredentialStore() {
    }

    static String resolveHash(String configuredHash, String configuredPassword, Path hashFile, Path passwordFile,
                              String username, SecureRandom random) throws IOException {
        if (!configuredHash.isBlank()) {
            if (!PasswordHash.isWellFormed(configuredHash.strip())) {
                throw new IllegalArgumentException("passwordHash: not a " + PasswordHash.SCHEME
                        + "$iterations$salt$hash value (make one with the PasswordHash tool, see README)");
            }
            return configuredHash.strip();
        }
        if (!configuredPassword.isEmpty()) {
            LOG.warn("The console password is configured in clear text (key 'password'); prefer 'passwordHash'");
            return PasswordHash.hash(configuredPassword, random);
        }
        if (Files.exists(hashFile)) {
            String stored = Files.readString(hashFile, StandardCharsets.UTF_8).strip();
            if (!PasswordHash.isWellFormed(stored)) {
                throw new IllegalArgumentException("hashFile: " + hashFile + " does not hold a password hash;"
                        + " delete it to generate a new password");
            }
            return stored;
        }
        String password = PasswordHash.randomPassword(random);
        String hash = PasswordHash.hash(password, random);
        writeOwnerOnly(passwordFile, password + "\n");
        writeOwnerOnly(hashFile, hash + "\n");
        LOG.warn("Generated the web console password for user '{}' and wrote it to {} (readable by its owner only)."
                + " Read it, then delete that file; change it with passwordHash in dev.sluice.console.security.",
                username, passwordFile.toAbsolutePath());
        return hash;
    }

    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("could not create " + tmp, e);
        }
        Files.writeString(tmp, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.SYNC);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
