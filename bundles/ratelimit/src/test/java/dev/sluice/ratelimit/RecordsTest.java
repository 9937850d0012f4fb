package dev.sluice.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.api.mail.Reply;
import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.ratelimit.PathLimits;
import dev.sluice.api.ratelimit.Rate;
import dev.sluice.api.ratelimit.Suspension;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecordsTest {

    private final PathKey path = new PathKey("mx.example.com", "ip1");
    private final Instant now = Instant.parse("2026-11-23T10:00:00.123456Z");
    private final PathLimits base = new PathLimits(10, Rate.parse("60/min"), 100, Rate.parse("100/s"), 50);

    @Test
    void anAdjustmentSurvivesTheTrip() {
        BackoffRule rule = BackoffRule.builtins().get(0);
        Adjustment a = Adjustment.throttle(path, rule, Reply.of(421, "4.7.0", "Too many\nconnections"), now, base);
        Adjustment back = Records.adjustment(path, Records.encode(a));
        assertEquals(a.visible(now, base), back.visible(now, base));
        Instant later = now.plus(Duration.ofMinutes(17));
        assertEquals(a.limitsAt(later, base), back.limitsAt(later, base), "recovery goes on the same way");
    }

    @Test
    void anOperatorSuspensionSurvivesTheTrip() {
        Suspension s = new Suspension(new PathKey("mx.example.com", "*"), "operator", null, now,
                now.plus(Duration.ofHours(2)), "suspend: complaints");
        assertEquals(s, Records.manual("mx.example.com", Records.encode(s)));
    }

    @Test
    void garbageIsIgnored() {
        assertNull(Records.adjustment(path, "A\u001fx"));
        assertNull(Records.manual("mx.example.com", "M\u001fnot-a-number\u001f1\u001fx"));
    }
}
