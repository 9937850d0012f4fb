package dev.sluice.api.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RateTest {

    @Test
    void parsesUnitsAndThousandsSeparators() {
        assertEquals(new Rate(100, Duration.ofSeconds(1)), Rate.parse("100/s"));
        assertEquals(new Rate(6000, Duration.ofHours(1)), Rate.parse("6,000/h"));
        assertEquals(new Rate(20, Duration.ofMinutes(1)), Rate.parse(" 20/min "));
        assertEquals("5000/d", Rate.parse("5000/day").toString());
        assertEquals(10.0, Rate.parse("600/min").perSecond(), 1e-9);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "100", "/s", "x/s", "0/s", "-5/s", "10/fortnight"})
    void rejectsMalformedWithTheText(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rate.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'") || text.isEmpty(), e.getMessage());
    }
}
