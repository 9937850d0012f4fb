package dev.sluice.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ConfigCheckTest {

    private static void refused(String message, Executable check) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, check).getMessage());
    }

    @Test
    void valuesInRangeArePassedOnIncludingTheBounds() {
        assertEquals(1, ConfigCheck.between("port", 1, 1, 65535));
        assertEquals(65535, ConfigCheck.between("port", 65535, 1, 65535));
        assertEquals(52_428_800L, ConfigCheck.between("maxMessageSizeBytes", 52_428_800L, 1, 1L << 40));
        assertEquals(0.001, ConfigCheck.between("maxLifetimeHours", 0.001, 0.001, 8760));
    }

    @Test
    void valuesOutOfRangeNameTheKeyTheRangeAndTheValue() {
        refused("port: must be 1 to 65535, was 0", () -> ConfigCheck.between("port", 0, 1, 65535));
        refused("port: must be 1 to 65535, was 70000", () -> ConfigCheck.between("port", 70_000, 1, 65535));
        refused("maxMessageSizeBytes: must be 1 to 1099511627776, was -1",
                () -> ConfigCheck.between("maxMessageSizeBytes", -1L, 1, 1L << 40));
        refused("retryMultiplier: must be 1 to 100, was 0.5", () -> ConfigCheck.between("retryMultiplier", 0.5, 1, 100));
        refused("maxLifetimeHours: must be 0.001 to 8760, was 0", () -> ConfigCheck.between("maxLifetimeHours", 0.0,
                0.001, 8760));
        refused("retryMultiplier: must be 1 to 100, was NaN", () -> ConfigCheck.between("retryMultiplier", Double.NaN,
                1, 100));
    }

    @Test
    void oneOfGivesTheAllowedSpellingOrNamesTheChoices() {
        assertEquals("starttls", ConfigCheck.oneOf("tlsMode", " STARTTLS ", "none", "starttls", "implicit"));
        assertEquals("HEADERS", ConfigCheck.oneOf("unspecifiedReturn", "headers", "HEADERS", "FULL"));
        refused("tlsMode: 'tls' is not one of none, starttls, implicit",
                () -> ConfigCheck.oneOf("tlsMode", "tls", "none", "starttls", "implicit"));
        refused("tlsMode: 'null' is not one of none, starttls", () -> ConfigCheck.oneOf("tlsMode", null, "none", "starttls"));
    }
}
