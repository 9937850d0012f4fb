package dev.sluice.dsn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each key's range or options are its MetaType's; a value outside fails activation with a message naming the key. */
class DsnSettingsTest {

    private static DsnSettings settings(Map<String, Object> values) {
        return DsnSettings.of(Configs.of(DsnConfig.class, values), "mx.example.test");
    }

    private static void refused(String message, Map<String, Object> values) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> settings(values)).getMessage());
    }

    @Test
    void theBoundsAndAnyCaseOfAnOptionAreAccepted() {
        DsnSettings s = settings(Map.of("unspecifiedReturn", "full", "fullReturnMaxBytes", 1L << 30,
                "messageLifetimeHours", 0, "commitTimeoutSeconds", 3600));
        assertTrue(s.unspecifiedReturnsFull());
        assertEquals(1L << 30, s.fullReturnMaxBytes());
    }

    @Test
    void valuesOutOfRangeAreRefused() {
        refused("unspecifiedReturn: 'BODY' is not one of HEADERS, FULL", Map.of("unspecifiedReturn", "BODY"));
        refused("fullReturnMaxBytes: must be 0 to 1073741824, was -1", Map.of("fullReturnMaxBytes", -1L));
        refused("messageLifetimeHours: must be 0 to 8760, was 9000", Map.of("messageLifetimeHours", 9000));
        refused("commitTimeoutSeconds: must be 1 to 3600, was 0", Map.of("commitTimeoutSeconds", 0));
    }

    @Test
    void recentLinesOutOfRangeAreRefused() {
        assertEquals("recentLines: must be 0 to 1000000, was -1", assertThrows(IllegalArgumentException.class,
                () -> new DeliveryLogListener(Configs.of(DeliveryLogListener.Config.class, Map.of("recentLines", -1)),
                        null, line -> { })).getMessage());
    }
}
