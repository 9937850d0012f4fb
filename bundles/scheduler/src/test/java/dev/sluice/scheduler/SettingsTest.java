package dev.sluice.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each key's range is its MetaType's; a value outside fails activation with a message naming the key. */
class SettingsTest {

    private static void refused(String message, Map<String, Object> values) {
        assertEquals(message, assertThrows(IllegalArgumentException.class,
                () -> Settings.from(Harness.config(values))).getMessage());
    }

    @Test
    void theBoundsAreAccepted() {
        Settings s = Settings.from(Harness.config(Map.of("retryInitialSeconds", 1L, "retryMaxSeconds",
                Settings.WEEK_SECONDS, "maxLifetimeHours", 8760.0, "routeCacheSeconds", 0, "workerThreads", 256)));
        assertEquals(1, s.retry().initial().toSeconds());
        assertEquals(256, s.workerThreads());
    }

    @Test
    void valuesOutOfRangeAreRefused() {
        refused("retryInitialSeconds: must be 1 to 604800, was 0", Map.of("retryInitialSeconds", 0L));
        refused("retryMaxSeconds: must be 1 to 604800, was 700000", Map.of("retryMaxSeconds", 700_000L));
        refused("retryMultiplier: must be 1 to 100, was 0.5", Map.of("retryMultiplier", 0.5));
        refused("maxLifetimeHours: must be 0.001 to 8760, was 0", Map.of("maxLifetimeHours", 0.0,
                "delayWarningHours", 0));
        refused("maxLifetimeHours: must be 0.001 to 8760, was 10000", Map.of("maxLifetimeHours", 10_000.0));
        refused("delayWarningHours: must be 0 to 8760, was -1", Map.of("delayWarningHours", -1));
        refused("routeCacheSeconds: must be 0 to 86400, was -5", Map.of("routeCacheSeconds", -5));
        refused("storageRetrySeconds: must be 1 to 86400, was 0", Map.of("storageRetrySeconds", 0));
        refused("workerThreads: must be 1 to 256, was 0", Map.of("workerThreads", 0));
    }

    @Test
    void valuesThatContradictEachOtherAreRefused() {
        refused("retryMaxSeconds: must not be below retryInitialSeconds (300), was 60", Map.of("retryMaxSeconds", 60L));
        refused("delayWarningHours: must be 0 (off) or below maxLifetimeHours (2.0), was 4",
                Map.of("maxLifetimeHours", 2.0));
    }
}
