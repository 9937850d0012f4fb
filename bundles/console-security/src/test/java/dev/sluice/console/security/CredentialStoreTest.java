package dev.sluice.console.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialStoreTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void firstStartGeneratesPasswordReadableByOwnerOnlyAndStoresOnlyTheHash(@TempDir Path dir) throws Exception {
        Path hashFile = dir.resolve("data/admin.hash");
        Path passwordFile = dir.resolve("conf/admin-password.txt");
        String hash = CredentialStore.resolveHash("", "", hashFile, passwordFile, "admin", random);

        String password = Files.readString(passwordFile).strip();
        assertTrue(PasswordHash.matches(password, hash));
        assertFalse(PasswordHash.matches("admin", hash));
        assertEquals(hash, Files.readString(hashFile).strip());
        assertFalse(Files.readString(hashFile).contains(password));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(hashFile)));
    }

    @Test
    void laterStartsReuseTheStoredHashEvenAfterThePasswordFileIsDeleted(@TempDir Path dir) throws Exception {
        Path hashFile = dir.resolve("h");
        Path passwordFile = dir.resolve("p");
        String first = CredentialStore.resolveHash("", "", hashFile, passwordFile, "admin", random);
        Files.delete(passwordFile);
        assertEquals(first, CredentialStore.resolveHash("", "", hashFile, passwordFile, "admin", random));
        assertFalse(Files.exists(passwordFile));
    }

    @Test
    void configuredHashWinsAndMalformedOneNamesTheKey(@TempDir Path dir) throws Exception {
        String configured = PasswordHash.hash("s3cret", random);
        assertEquals(configured, CredentialStore.resolveHash(configured, "", dir.resolve("h"), dir.resolve("p"),
                "admin", random));
        assertFalse(Files.exists(dir.resolve("p")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CredentialStore.resolveHash("plaintext", "", dir.resolve("h"), dir.resolve("p"), "a", random));
        assertTrue(e.getMessage().startsWith("passwordHash:"), e.getMessage());
    }

    @Test
    void clearTextPasswordIsHashedInMemory(@TempDir Path dir) throws Exception {
        String hash = CredentialStore.resolveHash("", "pw", dir.resolve("h"), dir.resolve("p"), "a", random);
        assertTrue(PasswordHash.matches("pw", hash));
        assertFalse(Files.exists(dir.resolve("h")));
    }
}
