package dev.sluice.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.testing.metrics.RecordingMetrics;
import org.junit.jupiter.api.Test;

/** The tenant deferral counter's labels are bounded: tenant keys come from the messages. */
class TenantDeferralsTest {

    @Test
    void theFirstPairsKeepTheirSeriesAndLaterOnesCountAsOther() {
        RecordingMetrics metrics = new RecordingMetrics();
        TenantDeferrals deferrals = new TenantDeferrals(metrics);
        for (int i = 0; i <= TenantDeferrals.MAX_SERIES; i++) {
            deferrals.count("t" + i, "mx.example");
        }
        deferrals.count("t0", "mx.example");
        deferrals.count("t" + TenantDeferrals.MAX_SERIES, "mx.example");
        assertEquals(2, metrics.get(TenantDeferrals.NAME, "tenant", "t0", "site", "mx.example").size());
        assertEquals(1, metrics.get(TenantDeferrals.NAME, "tenant", "t99", "site", "mx.example").size());
        assertEquals(0, metrics.get(TenantDeferrals.NAME, "tenant", "t100", "site", "mx.example").size());
        assertEquals(2, metrics.get(TenantDeferrals.NAME, "tenant", TenantDeferrals.OTHER, "site",
                TenantDeferrals.OTHER).size(), "the 101st pair, twice");
    }
}
